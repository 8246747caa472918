import type { JSONWebKeySet } from 'jose';
import { ClientCheckError, FAPI_SIGNING_ALGS, parseJsonObject, validateIdToken } from '../../client';
import { BrowserPages } from '../browser-pages';
import { ScenarioSkip, type ScenarioContext } from '../context';
import { issProblem, observe, withProblem, withProblems } from '../observe';
import {
  authorizationParams,
  authorizeRequest,
  fapiCode,
  isActive,
  type FapiCodeGrant,
  frontChannelParams,
  newPkce,
  redeem,
  resourceRequest,
  standardCode,
  tokenRequest,
  tokenSetOf,
  withParam,
} from '../flows';
import { scenario } from './define';

/**
 * What the ID token fails of a client's checks (OpenID Connect Core §3.1.3.7, the demo client's own
 * validateIdToken: the first rule broken), and §10.1: with several keys in the provider's JWK Set,
 * the header names the one that signed.
 */
async function idTokenProblems(
  ctx: ScenarioContext,
  idToken: string,
  grant: FapiCodeGrant,
): Promise<string[]> {
  const fetchJwks = async (): Promise<JSONWebKeySet> => {
    const { response } = await ctx.expectSuccess({
      stage: 'other',
      label: 'JWKS',
      method: 'GET',
      url: await ctx.endpoint('jwks_uri'),
      params: [],
      headers: { Accept: 'application/json' },
    });
    return parseJsonObject<JSONWebKeySet>(response);
  };
  const jwks = await fetchJwks();
  try {
    const { kid } = await validateIdToken(idToken, {
      issuer: ctx.target.issuer,
      clientId: grant.client.client_id,
      nonce: grant.nonce,
      getJwks: (refresh) => (refresh ? fetchJwks() : Promise.resolve(jwks)),
      algorithms: [...FAPI_SIGNING_ALGS],
      clock: ctx.clock,
    });
    return kid === undefined && Array.isArray(jwks.keys) && jwks.keys.length > 1
      ? ['the id_token header has no kid, and the JWK Set holds several keys (OpenID Connect Core §10.1)']
      : [];
  } catch (e) {
    // A broken rule (ClientCheckError), or a token that is no JWS at all (TypeError).
    if (e instanceof ClientCheckError || e instanceof TypeError) return [e.message];
    throw e;
  }
}

export const authorizationCodeScenarios = [
  scenario({
    id: 'code-reused',
    title: 'Authorization code redeemed twice',
    category: 'authorization-code',
    description:
      'The FAPI client redeems its code, then redeems it again; the tokens of the first use are then introspected.',
    expected: { status: 400, error: 'invalid_grant' },
    clause: 'RFC 6749 §4.1.2, §10.5 (single use; revoke what the code issued)',
    teaching:
      'A second redemption means the code leaked; revoking the first tokens cuts off whichever party got them.',
    run: async (ctx) => {
      const grant = await fapiCode(ctx);
      const { tokens } = await redeem(ctx, grant);
      const { observation } = await ctx.send(await tokenRequest(ctx, grant));
      const stillActive = await isActive(ctx, grant.client, tokens.access_token);
      return withProblem(
        observation,
        stillActive
          ? 'the access token of the first redemption is still active (RFC 6749 §4.1.2: should be revoked)'
          : undefined,
      );
    },
  }),
  scenario({
    id: 'code-expired',
    title: 'Authorization code redeemed after 61 s',
    category: 'authorization-code',
    description: 'The lab clock moves 61 s forward between the authorization response and the token request.',
    expected: { status: 400, error: 'invalid_grant' },
    clause: 'FAPI 2.0 SP §5.3.2.1 (codes live at most 60 s)',
    teaching: 'Short-lived codes shrink the window for a leaked code to be used.',
    needsLabClock: true,
    run: async (ctx) => {
      const grant = await fapiCode(ctx);
      await ctx.advanceClock(61);
      return (await ctx.send(await tokenRequest(ctx, grant))).observation;
    },
  }),
  scenario({
    id: 'code-other-client',
    title: 'Authorization code redeemed by another client',
    category: 'authorization-code',
    description: "The standard client's code is redeemed by the FAPI client, with its own valid credentials.",
    expected: { status: 400, error: 'invalid_grant' },
    clause: 'RFC 6749 §4.1.3 (the code was issued to the authenticated client)',
    teaching: 'Client authentication is pointless if any authenticated client may redeem any code.',
    run: async (ctx) => {
      const grant = await standardCode(ctx);
      const fapi = ctx.client('fapi');
      const request = await tokenRequest(ctx, { ...grant, client: fapi, key: await ctx.dpopKey() });
      request.params = withParam(request.params, 'redirect_uri', ctx.redirectUri(grant.client));
      return (await ctx.send(request)).observation;
    },
  }),
  scenario({
    id: 'code-redirect-uri-mismatch',
    title: 'Authorization code redeemed with another redirect_uri',
    category: 'authorization-code',
    description: 'The token request names a different redirect_uri than the authorization request did.',
    expected: { status: 400, error: 'invalid_grant' },
    clause: 'RFC 6749 §4.1.3',
    teaching: 'Matching redirect_uris prevent a code injected through another redirect from being accepted.',
    run: async (ctx) => {
      const grant = await standardCode(ctx);
      const request = await tokenRequest(ctx, grant);
      const other = new URL(ctx.redirectUri(grant.client));
      other.pathname = `${other.pathname.replace(/\/$/, '')}/elsewhere`;
      request.params = withParam(request.params, 'redirect_uri', other.href);
      return (await ctx.send(request)).observation;
    },
  }),
  scenario({
    id: 'authorize-unregistered-redirect-uri',
    title: 'Authorization request with an unregistered redirect_uri',
    category: 'authorization-code',
    description:
      'The standard client sends its authorization request with a redirect_uri it never registered (https://attacker.example/cb).',
    expected: { status: 400, error: 'invalid_request' },
    clause: 'RFC 6749 §3.1.2.4, §4.1.2.1 (must not redirect to an invalid redirection URI)',
    teaching:
      'An error sent to an unchecked redirect_uri would make the server an open redirector; the user is shown the error instead.',
    run: async (ctx) => {
      const client = ctx.client('standard');
      const params = authorizationParams(ctx, client, await newPkce()).map(
        ([name, value]): [string, string] =>
          name === 'redirect_uri' ? [name, 'https://attacker.example/cb'] : [name, value],
      );
      return (await ctx.send(await authorizeRequest(ctx, params))).observation;
    },
  }),
  scenario({
    id: 'authorize-prompt-none-without-session',
    title: 'prompt=none from a browser nobody is signed in on',
    category: 'authorization-code',
    description:
      'The standard client asks for a code with prompt=none from a browser that holds no session at the provider (pushed first when PAR is required of it).',
    expected: { status: [302, 303], error: 'login_required' },
    clause:
      'OpenID Connect Core 1.0 §3.1.2.1 (prompt=none: no page shown), §3.1.2.6 (login_required at the redirect_uri); RFC 9207 §2',
    teaching:
      'prompt=none is how a client asks silently whether the user is still signed in: the answer is an error it can act on, sent back with iss, never a login page the user did not ask for.',
    run: async (ctx) => {
      const client = ctx.client('standard');
      const key = client.dpop_bound_access_tokens ? await ctx.dpopKey() : undefined;
      const { params } = await frontChannelParams(ctx, client, await newPkce(), key, [['prompt', 'none']]);
      const { response, observation } = await ctx.send(await authorizeRequest(ctx, params));
      return withProblem(observation, issProblem(response, ctx.target.issuer));
    },
  }),
  scenario({
    id: 'consent-denied',
    title: 'The user declines on the consent page',
    category: 'authorization-code',
    description:
      'The user logs in on a FAPI authorization (prompt=consent, so that the consent page is shown) and declines.',
    expected: { status: [302, 303], error: 'access_denied' },
    clause: 'RFC 6749 §4.1.2.1 (access_denied at the redirect_uri); RFC 9207 §2 (iss in error responses too)',
    teaching:
      'A refusal goes back to the client as an error it can act on, carrying iss like any authorization response, so that a mix-up attack cannot forge one either.',
    run: async (ctx) => {
      const pages = new BrowserPages(ctx);
      const consent = await pages.consentPageAfterLogin();
      const answer = await pages.submit(pages.form(consent, 'decision', 'consent'), { decision: 'deny' });
      return withProblem(observe(answer), issProblem(answer, ctx.target.issuer));
    },
  }),
  scenario({
    id: 'id-token-valid',
    title: 'The ID token of a FAPI flow passes a client’s checks',
    category: 'authorization-code',
    description:
      'The FAPI client redeems its code and checks the ID token: a signature by a published key with a FAPI algorithm, iss, aud, sub, exp, iat, the nonce it sent, and a kid when several keys are published.',
    expected: { success: true },
    clause: 'OpenID Connect Core 1.0 §2, §3.1.3.7, §10.1; FAPI 2.0 SP §5.4.1 (PS256, ES256 or EdDSA)',
    teaching:
      'The ID token is what the client believes about the user: each check closes a way to make it accept another login, another audience or an old token.',
    run: async (ctx) => {
      if (!(ctx.client('fapi').scope ?? 'openid').split(' ').includes('openid'))
        throw new ScenarioSkip('the FAPI client does not ask for the openid scope: no ID token to check');
      const grant = await fapiCode(ctx);
      const { observation, response } = await ctx.send(await tokenRequest(ctx, grant));
      if (response.status !== 200) return observation;
      const { id_token } = tokenSetOf(response);
      const problems =
        typeof id_token === 'string'
          ? await idTokenProblems(ctx, id_token, grant)
          : ['no id_token for a request with scope openid (OpenID Connect Core §3.1.3.3)'];
      return withProblems(observation, problems);
    },
  }),
  scenario({
    id: 'standard-flow-happy-path',
    title: 'Standard flow: authorization code, PKCE, client_secret_post, userinfo',
    category: 'authorization-code',
    description: 'Baseline: the standard client runs the whole flow and calls userinfo.',
    expected: { success: true },
    clause: 'OIDC Core §3.1; RFC 7636',
    teaching: 'The baseline every authorization code fault is compared with.',
    baseline: true,
    run: async (ctx) => {
      const { grant, tokens } = await redeem(ctx, await standardCode(ctx));
      // RFC 6750 §2.1, or RFC 9449 §7.1 for a client whose tokens are DPoP-bound.
      const request = resourceRequest(
        ctx,
        tokens.access_token,
        grant.key ? [{ key: grant.key, accessToken: tokens.access_token }] : undefined,
      );
      request.stage = 'userinfo';
      request.label = 'userinfo';
      request.url = await ctx.endpoint('userinfo_endpoint');
      return (await ctx.send(request)).observation;
    },
  }),
];
