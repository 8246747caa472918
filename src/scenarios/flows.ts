import {
  codeChallengeS256,
  generateCodeVerifier,
  generateNonce,
  generateState,
  HeadlessLoginError,
  loginHeadless,
  parseJsonObject,
  parseTokenResponse,
  type ClientResponse,
  type DpopKeyPair,
  type TokenSet,
} from '../client';
import { SetupFailure, type OutgoingRequest, type ScenarioContext } from './context';
import type { ProofForgery } from './forge';
import type { TargetClient } from './types';

/**
 * The steps scenarios are made of: each builds the honest request of one flow stage (which a scenario
 * may then forge) or plays a whole honest prefix of a flow to reach the request under test.
 */

export interface Pkce {
  code_verifier: string;
  code_challenge: string;
}

export async function newPkce(): Promise<Pkce> {
  const code_verifier = generateCodeVerifier();
  return { code_verifier, code_challenge: await codeChallengeS256(code_verifier) };
}

/** RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC Core §3.1.2.1: the authorization request parameters. */
export function authorizationParams(
  ctx: ScenarioContext,
  client: TargetClient,
  pkce: Pkce,
): [string, string][] {
  return [
    ['response_type', 'code'],
    ['client_id', client.client_id],
    ['redirect_uri', ctx.redirectUri(client)],
    ['scope', client.scope ?? 'openid profile offline_access accounts'],
    // FAPI 2.0 SP §5.3.2.2: a state and a nonce of 64+ characters are accepted and echoed exactly.
    ['state', `${generateState()}.${generateState()}`],
    ['nonce', `${generateNonce()}~${generateNonce()}`],
    ['code_challenge', pkce.code_challenge],
    ['code_challenge_method', 'S256'],
  ];
}

/** RFC 9126 §2.1: the pushed request of a FAPI client, authenticated, bound to `key` (RFC 9449 §10). */
export async function parRequest(
  ctx: ScenarioContext,
  client: TargetClient,
  pkce: Pkce,
  key: DpopKeyPair | undefined,
): Promise<OutgoingRequest> {
  const params = authorizationParams(ctx, client, pkce);
  if (key) params.push(['dpop_jkt', key.thumbprint]);
  return {
    stage: 'par',
    label: 'PAR',
    method: 'POST',
    url: await ctx.endpoint('pushed_authorization_request_endpoint'),
    params,
    headers: {},
    auth: { client },
  };
}

export async function pushedRequestUri(ctx: ScenarioContext, request: OutgoingRequest): Promise<string> {
  const { response } = await ctx.expectSuccess(request);
  const { request_uri } = parseJsonObject<{ request_uri?: unknown }>(response);
  if (typeof request_uri !== 'string')
    throw new SetupFailure('PAR', { status: response.status, error: 'no request_uri' });
  return request_uri;
}

/** RFC 9126 §4: the front-channel request after PAR carries only client_id and request_uri. */
export async function authorizationUrlFor(ctx: ScenarioContext, params: [string, string][]): Promise<string> {
  const url = new URL(await ctx.endpoint('authorization_endpoint'));
  for (const [name, value] of params) url.searchParams.append(name, value);
  return url.href;
}

/** The authorization endpoint request as a stage a scenario can mutate and observe. */
export async function authorizeRequest(
  ctx: ScenarioContext,
  params: [string, string][],
): Promise<OutgoingRequest> {
  return {
    stage: 'authorize',
    label: 'authorization request',
    method: 'GET',
    url: await ctx.endpoint('authorization_endpoint'),
    params,
    headers: { Accept: 'text/html' },
  };
}

/** Plays the user (login and consent) and returns the code of the authorization response. */
export async function loginForCode(
  ctx: ScenarioContext,
  client: TargetClient,
  params: [string, string][],
  /** The state of the request when it was pushed (PAR): the front channel then carries none. */
  pushedState?: string,
): Promise<string> {
  // The front-channel request is a stage of its own, so that a user-defined scenario can forge it.
  const request = await authorizeRequest(ctx, params);
  if (ctx.intercept || ctx.stopAfter === 'authorize') {
    await ctx.send(request);
  }
  const url = await authorizationUrlFor(ctx, request.params);
  const { username, password } = ctx.user();
  let callback: string;
  try {
    callback = await loginHeadless(url, {
      username,
      password,
      consent: 'allow',
      redirectUri: ctx.redirectUri(client),
      http: ctx.browser,
    });
  } catch (e) {
    if (e instanceof HeadlessLoginError)
      throw new SetupFailure('login', { status: e.status ?? null, error_description: e.message });
    throw e;
  }
  const query = new URL(callback).searchParams;
  // RFC 9207 §2: the response names its issuer; RFC 6749 §4.1.2: the state comes back exactly.
  const issuer = ctx.target.issuer;
  if (query.get('iss') !== issuer) {
    throw new SetupFailure('authorization response', {
      status: null,
      error: 'iss missing or wrong',
      error_description: `iss ${String(query.get('iss'))}, expected ${issuer} (RFC 9207 §2)`,
    });
  }
  const state = pushedState ?? paramOf(params, 'state');
  if (state !== undefined && query.get('state') !== state) {
    throw new SetupFailure('authorization response', {
      status: null,
      error: 'state not echoed',
      error_description: 'the state of the response differs from the request’s (RFC 6749 §4.1.2)',
    });
  }
  const code = query.get('code');
  if (!code) {
    throw new SetupFailure('authorization response', {
      status: null,
      error: query.get('error') ?? 'no code',
      error_description: query.get('error_description') ?? undefined,
    });
  }
  return code;
}

export interface CodeGrant {
  client: TargetClient;
  code: string;
  pkce: Pkce;
  /** The DPoP key the code is bound to (FAPI). */
  key?: DpopKeyPair;
}

/** The value of the parameter `name` in a request's parameters (the first, should it repeat). */
export const paramOf = (params: readonly [string, string][], name: string): string | undefined =>
  params.find(([n]) => n === name)?.[1];

/** A request's parameters with `name` set to `value` wherever it occurs. */
export const withParam = (
  params: readonly [string, string][],
  name: string,
  value: string,
): [string, string][] => params.map(([n, v]) => [n, n === name ? value : v]);

/**
 * RFC 9126 §4: the user logs in on the authorization request `pushed` stands for, the front channel
 * carrying only client_id and `request_uri`; the code, its response checked against the pushed state.
 */
export function loginForPushedCode(
  ctx: ScenarioContext,
  client: TargetClient,
  pushed: OutgoingRequest,
  request_uri: string,
): Promise<string> {
  const front: [string, string][] = [
    ['client_id', client.client_id],
    ['request_uri', request_uri],
  ];
  return loginForCode(ctx, client, front, paramOf(pushed.params, 'state'));
}

/** A FAPI client's code, with the nonce its authorization request sent (for the ID token to echo). */
export interface FapiCodeGrant extends Required<CodeGrant> {
  readonly nonce: string | undefined;
}

/** FAPI 2.0 SP §5.3: PAR with private_key_jwt and dpop_jkt, login, code. */
export async function fapiCode(ctx: ScenarioContext, key?: DpopKeyPair): Promise<FapiCodeGrant> {
  const client = ctx.client('fapi');
  const pkce = await newPkce();
  const dpopKey = key ?? (await ctx.dpopKey());
  const pushed = await parRequest(ctx, client, pkce, dpopKey);
  const code = await loginForPushedCode(ctx, client, pushed, await pushedRequestUri(ctx, pushed));
  return { client, code, pkce, key: dpopKey, nonce: paramOf(pushed.params, 'nonce') };
}

/**
 * Must `client` push its authorization requests: does the provider take them only through PAR, from
 * every client (RFC 9126 §5, `require_pushed_authorization_requests` in its metadata), or from this
 * one (§6, its registration)?
 */
export async function mustPush(ctx: ScenarioContext, client: TargetClient): Promise<boolean> {
  return (
    client.require_pushed_authorization_requests === true ||
    (await ctx.metadata()).require_pushed_authorization_requests === true
  );
}

/**
 * OIDC Core §3.1 with PKCE: every parameter in the front channel, no PAR. What the client is
 * registered for changes that, as a client library would: its requests are pushed first (the front
 * channel then carrying only client_id and request_uri) when PAR is required of it (RFC 9126 §5, §6),
 * and the code is bound to a DPoP key (RFC 9449 §10) when its tokens are DPoP-bound.
 */
export async function standardCode(ctx: ScenarioContext): Promise<CodeGrant> {
  const client = ctx.client('standard');
  const pkce = await newPkce();
  const key = client.dpop_bound_access_tokens ? await ctx.dpopKey() : undefined;
  const { params, pushedState } = await frontChannelParams(ctx, client, pkce, key);
  const code = await loginForCode(ctx, client, params, pushedState);
  return { client, code, pkce, ...(key ? { key } : {}) };
}

/**
 * The front channel of `client`'s authorization request, with `extra` parameters: every parameter
 * there, or, when PAR is required of it (RFC 9126 §5, §6), pushed first and only client_id and
 * request_uri there (§4), with the pushed state; the code bound to `key` (RFC 9449 §10) when given.
 */
export async function frontChannelParams(
  ctx: ScenarioContext,
  client: TargetClient,
  pkce: Pkce,
  key: DpopKeyPair | undefined,
  extra: readonly [string, string][] = [],
): Promise<{ params: [string, string][]; pushedState?: string }> {
  if (!(await mustPush(ctx, client))) {
    const params = authorizationParams(ctx, client, pkce);
    if (key) params.push(['dpop_jkt', key.thumbprint]);
    return { params: [...params, ...extra] };
  }
  const pushed = await parRequest(ctx, client, pkce, key);
  pushed.params.push(...extra);
  const params: [string, string][] = [
    ['client_id', client.client_id],
    ['request_uri', await pushedRequestUri(ctx, pushed)],
  ];
  const pushedState = paramOf(pushed.params, 'state');
  return pushedState === undefined ? { params } : { params, pushedState };
}

/** RFC 6749 §4.1.3, RFC 7636 §4.5, RFC 9449 §5: the code exchange, honest unless forged afterwards. */
export async function tokenRequest(ctx: ScenarioContext, grant: CodeGrant): Promise<OutgoingRequest> {
  return {
    stage: 'token',
    label: 'token (authorization_code)',
    method: 'POST',
    url: await ctx.endpoint('token_endpoint'),
    params: [
      ['grant_type', 'authorization_code'],
      ['code', grant.code],
      ['redirect_uri', ctx.redirectUri(grant.client)],
      ['code_verifier', grant.pkce.code_verifier],
    ],
    headers: {},
    auth: { client: grant.client },
    dpop: grant.key ? [{ key: grant.key }] : undefined,
  };
}

export interface Tokens {
  grant: CodeGrant;
  tokens: TokenSet;
}

/**
 * The tokens of a successful token response, which later steps use (RFC 6749 §5.1): a provider under
 * test that answers without them fails the step that needed them, saying so. No client checks beyond
 * that: what a scenario judges, it judges itself.
 */
export const tokenSetOf = (response: ClientResponse): TokenSet =>
  parseTokenResponse(response, { dpop: false, idToken: false });

export async function redeem(ctx: ScenarioContext, grant: CodeGrant): Promise<Tokens> {
  const { response } = await ctx.expectSuccess(await tokenRequest(ctx, grant));
  return { grant, tokens: tokenSetOf(response) };
}

export async function fapiTokens(
  ctx: ScenarioContext,
  key?: DpopKeyPair,
): Promise<Tokens & { grant: Required<CodeGrant> }> {
  const grant = await fapiCode(ctx, key);
  const { tokens } = await redeem(ctx, grant);
  return { grant, tokens };
}

/** RFC 9449 §7.1: a resource request with `Authorization: DPoP` and a proof covering the token. */
export function resourceRequest(
  ctx: ScenarioContext,
  accessToken: string,
  proofs: ProofForgery[] | undefined,
  scheme = proofs ? 'DPoP' : 'Bearer',
): OutgoingRequest {
  return {
    stage: 'resource',
    label: 'resource',
    method: 'GET',
    url: ctx.resourceUrl,
    params: [],
    headers: { Authorization: `${scheme} ${accessToken}` },
    dpop: proofs,
  };
}

/** OpenID Connect Core §5.3: the provider's userinfo endpoint, asked as a resource request is. */
export async function userinfoRequest(
  ctx: ScenarioContext,
  accessToken: string,
  proofs: ProofForgery[] | undefined,
): Promise<OutgoingRequest> {
  return {
    ...resourceRequest(ctx, accessToken, proofs),
    stage: 'userinfo',
    label: 'userinfo',
    url: await ctx.endpoint('userinfo_endpoint'),
  };
}

/** RFC 6749 §6 with a DPoP proof (RFC 9449 §5). */
export async function refreshRequest(
  ctx: ScenarioContext,
  client: TargetClient,
  refreshToken: string,
  key: DpopKeyPair | undefined,
): Promise<OutgoingRequest> {
  return {
    stage: 'refresh',
    label: 'token (refresh_token)',
    method: 'POST',
    url: await ctx.endpoint('token_endpoint'),
    params: [
      ['grant_type', 'refresh_token'],
      ['refresh_token', refreshToken],
    ],
    headers: {},
    auth: { client },
    dpop: key ? [{ key }] : undefined,
  };
}

/** RFC 7662 §2.1, with client authentication. */
export async function introspectRequest(
  ctx: ScenarioContext,
  client: TargetClient,
  token: string,
): Promise<OutgoingRequest> {
  return {
    stage: 'introspect',
    label: 'introspection',
    method: 'POST',
    url: await ctx.endpoint('introspection_endpoint'),
    params: [['token', token]],
    headers: { Accept: 'application/json' },
    auth: { client },
  };
}

/** RFC 7009 §2.1, with client authentication. */
export async function revokeRequest(
  ctx: ScenarioContext,
  client: TargetClient,
  token: string,
): Promise<OutgoingRequest> {
  return {
    stage: 'revoke',
    label: 'revocation',
    method: 'POST',
    url: await ctx.endpoint('revocation_endpoint'),
    params: [['token', token]],
    headers: {},
    auth: { client },
  };
}

/** Whether introspection says the token is active (RFC 7662 §2.2). */
export async function isActive(ctx: ScenarioContext, client: TargetClient, token: string): Promise<boolean> {
  const { response } = await ctx.expectSuccess(await introspectRequest(ctx, client, token));
  return parseJsonObject<{ active?: unknown }>(response).active === true;
}

/** RFC 6749 §4.4 for a FAPI service client, with a DPoP proof. */
export async function clientCredentialsRequest(
  ctx: ScenarioContext,
  key: DpopKeyPair | undefined,
): Promise<OutgoingRequest> {
  const client = ctx.client('service');
  return {
    stage: 'token',
    label: 'token (client_credentials)',
    method: 'POST',
    url: await ctx.endpoint('token_endpoint'),
    params: [
      ['grant_type', 'client_credentials'],
      ['scope', client.scope ?? 'accounts'],
    ],
    headers: {},
    auth: { client },
    dpop: key ? [{ key }] : undefined,
  };
}
