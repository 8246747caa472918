import type { JSONWebKeySet } from 'jose';
import type { ClientExchangeReport } from '../common/lab-api';
import { parseAuthorizationResponse } from './authorization-response';
import { applyClientAuthentication, type ClientAuthentication } from './client-authentication';
import type { ClientCheckLog } from './client-check';
import { ClientClock } from './clock';
import { discover, type ProviderMetadata } from './discovery';
import { createDpopProof, generateDpopKeyPair, type DpopAlg, type DpopKeyPair } from './dpop';
import { ClientProtocolError } from './errors';
import { HttpClient, parseJsonObject, type ClientResponse, type FetchLike, type PresendHook } from './http';
import { FAPI_SIGNING_ALGS } from './fapi-algorithms';
import { validateIdToken, type ValidatedIdToken } from './id-token';
import { codeChallengeMethod, codeChallengeS256, generateCodeVerifier } from './pkce';
import { generateNonce, generateState } from './random';
import { parseTokenResponse, throwIfErrorResponse, type TokenSet } from './token-response';

export type ClientMode = 'standard' | 'fapi2';

export interface DemoClientConfig {
  issuer: string;
  client_id: string;
  redirect_uri: string;
  post_logout_redirect_uri?: string;
  scope: string;
  /** standard: code + PKCE + a secret; fapi2: PAR + private_key_jwt + DPoP (FAPI 2.0 SP §5.3). */
  mode: ClientMode;
  auth: ClientAuthentication;
  /** Push the request (RFC 9126). Default: always under fapi2; under standard, when the provider requires it. */
  usePar?: boolean;
  /** Sender-constrain tokens with DPoP (RFC 9449). Default: on under fapi2 only. */
  useDpop?: boolean;
  dpopAlg?: DpopAlg;
  /** How the PAR request binds the code to the DPoP key (RFC 9449 §10): `dpop_jkt` (default), a header, or both. */
  parDpopBinding?: 'dpop_jkt' | 'header' | 'both';
  /** Accepted ID token algorithms. Default: PS256, ES256, EdDSA (+ RS256 under standard). */
  idTokenAlgorithms?: string[];
  fetch?: FetchLike;
  onExchange?: (report: ClientExchangeReport) => void;
  presend?: PresendHook;
  clock?: ClientClock;
}

/** What each step returns for the UI: the exchanges it made and the checks the client ran. */
export interface StepResult {
  step: string;
  exchanges: ClientExchangeReport[];
  checks: ClientCheckLog;
}

export interface DiscoveryResult extends StepResult {
  metadata: ProviderMetadata;
}
export interface ParResult extends StepResult {
  request_uri: string;
  expires_in: number;
}
export interface CallbackResult extends StepResult {
  code: string;
  iss: string | undefined;
}
export interface TokenResult extends StepResult {
  tokens: TokenSet;
  idToken: ValidatedIdToken | undefined;
}
export interface ResourceResult extends StepResult {
  status: number;
  body: string;
  json: unknown;
}
export interface IntrospectionResult extends StepResult {
  response: Record<string, unknown>;
}

/** The state of one flow (what the UI shows as "client state"). */
export interface FlowState {
  traceId: string;
  code_verifier?: string;
  code_challenge?: string;
  state?: string;
  nonce?: string;
  request_uri?: string;
  code?: string;
  dpopKey?: DpopKeyPair;
  tokens?: TokenSet;
  idToken?: ValidatedIdToken;
}

/**
 * The demo relying party: one object per client configuration, holding the state of the current flow.
 * Each method is one step of the protocol, in the order a flow runs them.
 */
export class DemoClient {
  readonly config: DemoClientConfig;
  readonly http: HttpClient;
  readonly clock: ClientClock;
  metadata: ProviderMetadata | undefined;
  flow: FlowState;
  private jwks: JSONWebKeySet | undefined;

  constructor(config: DemoClientConfig) {
    this.config = config;
    this.clock = config.clock ?? new ClientClock();
    this.http = new HttpClient({
      fetch: config.fetch,
      onExchange: config.onExchange,
      presend: config.presend,
      clock: this.clock,
    });
    this.flow = { traceId: this.http.traceId };
  }

  get usesDpop(): boolean {
    return this.config.useDpop ?? this.config.mode === 'fapi2';
  }

  get usesPar(): boolean {
    return (
      this.config.usePar ??
      (this.config.mode === 'fapi2' || this.metadata?.require_pushed_authorization_requests === true)
    );
  }

  /**
   * Starts a new flow: a new trace id, a fresh PKCE verifier (RFC 7636 §4.1), state and nonce, and
   * under DPoP a fresh ephemeral key (one per session).
   */
  async startFlow(): Promise<FlowState> {
    const traceId = this.http.newTrace();
    const code_verifier = generateCodeVerifier();
    this.flow = {
      traceId,
      code_verifier,
      code_challenge: await codeChallengeS256(code_verifier),
      state: generateState(),
      nonce: generateNonce(),
      dpopKey: this.usesDpop ? await generateDpopKeyPair(this.config.dpopAlg ?? 'ES256') : undefined,
    };
    return this.flow;
  }

  private step(step: string): StepResult {
    return { step, exchanges: [], checks: [] };
  }

  async discover(): Promise<DiscoveryResult> {
    const result = this.step('discovery');
    this.metadata = await discover(this.config.issuer, {
      http: this.http,
      checks: result.checks,
      collect: result.exchanges,
    });
    return { ...result, metadata: this.metadata };
  }

  private async ensureDiscovered(): Promise<ProviderMetadata> {
    return this.metadata ?? (await this.discover()).metadata;
  }

  private async ensureFlow(): Promise<
    Required<Pick<FlowState, 'code_verifier' | 'code_challenge' | 'state' | 'nonce'>>
  > {
    if (!this.flow.code_verifier) await this.startFlow();
    const { code_verifier, code_challenge, state, nonce } = this.flow;
    if (!code_verifier || !code_challenge || !state || !nonce)
      throw new ClientProtocolError('flow not started');
    return { code_verifier, code_challenge, state, nonce };
  }

  private endpoint(metadata: ProviderMetadata, name: keyof ProviderMetadata & string): string {
    const value = metadata[name];
    if (typeof value !== 'string') throw new ClientProtocolError(`the provider does not advertise ${name}`);
    return value;
  }

  /** The authorization request parameters (RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC Core §3.1.2.1). */
  private async authorizationParameters(): Promise<URLSearchParams> {
    const flow = await this.ensureFlow();
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: this.config.client_id,
      redirect_uri: this.config.redirect_uri,
      scope: this.config.scope,
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: flow.code_challenge,
      code_challenge_method: codeChallengeMethod,
    });
    return params;
  }

  private dpopProofFor(method: string, url: string, accessToken?: string) {
    const key = this.flow.dpopKey;
    if (!key) return undefined;
    return (nonce: string | undefined) =>
      createDpopProof({ keyPair: key, htm: method, htu: url, nonce, accessToken, clock: this.clock });
  }

  /** RFC 9126 §2: pushes the authorization request with client authentication; returns the request_uri. */
  async pushAuthorizationRequest(): Promise<ParResult> {
    const result = this.step('pushed authorization request');
    const metadata = await this.ensureDiscovered();
    const url = this.endpoint(metadata, 'pushed_authorization_request_endpoint');
    const binding = this.config.parDpopBinding ?? 'dpop_jkt';
    const dpopKey = this.flow.dpopKey;
    const parameters = await this.authorizationParameters();
    // RFC 9449 §10: bind the authorization code to the DPoP key.
    if (dpopKey && binding !== 'header') parameters.set('dpop_jkt', dpopKey.thumbprint);
    const build = () => this.authenticated(metadata, parameters);
    const response = await this.http.send({
      label: 'PAR',
      method: 'POST',
      url,
      ...(await build()),
      renew: build,
      dpop: dpopKey && binding !== 'dpop_jkt' ? this.dpopProofFor('POST', url) : undefined,
      collect: result.exchanges,
    });
    throwIfErrorResponse(response);
    const json = parseJsonObject<{ request_uri?: unknown; expires_in?: unknown }>(response);
    // RFC 9126 §2.2: 201 with request_uri and expires_in.
    if (typeof json.request_uri !== 'string' || typeof json.expires_in !== 'number') {
      throw new ClientProtocolError('the PAR response lacks request_uri or expires_in (RFC 9126 §2.2)');
    }
    this.flow.request_uri = json.request_uri;
    return { ...result, request_uri: json.request_uri, expires_in: json.expires_in };
  }

  /**
   * The URL to send the browser to. After PAR only `client_id` and `request_uri` (RFC 9126 §4,
   * FAPI 2.0 SP §5.3.2.2); otherwise every parameter in the query.
   */
  async authorizationUrl(): Promise<string> {
    const metadata = await this.ensureDiscovered();
    const url = new URL(this.endpoint(metadata, 'authorization_endpoint'));
    if (this.flow.request_uri) {
      url.searchParams.set('client_id', this.config.client_id);
      url.searchParams.set('request_uri', this.flow.request_uri);
    } else {
      if (this.usesPar) throw new ClientProtocolError('push the authorization request first (RFC 9126)');
      for (const [name, value] of await this.authorizationParameters()) url.searchParams.set(name, value);
    }
    return url.href;
  }

  /** Reads the redirect back to redirect_uri (RFC 6749 §4.1.2, RFC 9207 §2.4). */
  async handleCallback(callbackUrl: string): Promise<CallbackResult> {
    const result = this.step('authorization response');
    const metadata = await this.ensureDiscovered();
    const { state } = await this.ensureFlow();
    const response = parseAuthorizationResponse(
      callbackUrl,
      {
        state,
        issuer: metadata.issuer,
        issParameterSupported: metadata.authorization_response_iss_parameter_supported === true,
      },
      result.checks,
    );
    this.flow.code = response.code;
    return { ...result, code: response.code, iss: response.iss };
  }

  private authContext(metadata: ProviderMetadata) {
    return { clientId: this.config.client_id, issuer: metadata.issuer, clock: this.clock };
  }

  private get idTokenAlgorithms(): string[] {
    return (
      this.config.idTokenAlgorithms ??
      (this.config.mode === 'fapi2' ? [...FAPI_SIGNING_ALGS] : [...FAPI_SIGNING_ALGS, 'RS256'])
    );
  }

  private async fetchJwks(refresh: boolean, collect: ClientExchangeReport[]): Promise<JSONWebKeySet> {
    if (this.jwks && !refresh) return this.jwks;
    const metadata = await this.ensureDiscovered();
    const response = await this.http.send({
      label: 'JWKS',
      url: this.endpoint(metadata, 'jwks_uri'),
      // The provider lets its JWKS be cached for a minute: after keys rotated twice within it, a copy
      // from the browser's cache lacked the key that signed (the refresh's ID token failed to verify).
      ...(refresh ? { cache: 'reload' as const } : {}),
      collect,
    });
    throwIfErrorResponse(response);
    this.jwks = parseJsonObject<JSONWebKeySet>(response);
    return this.jwks;
  }

  /** A copy of `parameters` with the client's credentials: a new client assertion on every call. */
  private async authenticated(
    metadata: ProviderMetadata,
    parameters: URLSearchParams,
  ): Promise<{ headers: Record<string, string>; body: URLSearchParams }> {
    const body = new URLSearchParams(parameters);
    const headers: Record<string, string> = {};
    await applyClientAuthentication(this.config.auth, { body, headers }, this.authContext(metadata));
    return { headers, body };
  }

  private async tokenRequest(
    label: string,
    parameters: URLSearchParams,
    result: StepResult,
  ): Promise<ClientResponse> {
    const metadata = await this.ensureDiscovered();
    const url = this.endpoint(metadata, 'token_endpoint');
    const build = () => this.authenticated(metadata, parameters);
    return this.http.send({
      label,
      method: 'POST',
      url,
      ...(await build()),
      renew: build,
      dpop: this.dpopProofFor('POST', url),
      collect: result.exchanges,
    });
  }

  private async acceptTokens(
    response: ClientResponse,
    result: StepResult,
    nonce: string | undefined,
    idTokenRequired: boolean,
  ): Promise<TokenResult> {
    const tokens = parseTokenResponse(
      response,
      { dpop: this.usesDpop, idToken: idTokenRequired },
      result.checks,
    );
    let idToken: ValidatedIdToken | undefined;
    if (tokens.id_token) {
      const metadata = await this.ensureDiscovered();
      idToken = await validateIdToken(
        tokens.id_token,
        {
          issuer: metadata.issuer,
          clientId: this.config.client_id,
          nonce,
          // After a refresh, the new ID token must be about the same authentication (OIDC Core §12.2).
          previous: nonce === undefined ? this.flow.idToken?.claims : undefined,
          getJwks: (refresh) => this.fetchJwks(refresh, result.exchanges),
          algorithms: this.idTokenAlgorithms,
          clock: this.clock,
        },
        result.checks,
      );
    }
    // OIDC Core §12.2: a refresh response may omit the refresh token and the ID token; keep the ones we hold.
    this.flow.tokens = { ...this.flow.tokens, ...tokens };
    if (idToken) this.flow.idToken = idToken;
    return { ...result, tokens, idToken };
  }

  /** RFC 6749 §4.1.3 with the PKCE verifier (RFC 7636 §4.5) and, under DPoP, a proof (RFC 9449 §5). */
  async exchangeCode(): Promise<TokenResult> {
    const result = this.step('token (authorization_code)');
    const { code_verifier, nonce } = await this.ensureFlow();
    const code = this.flow.code;
    if (!code) throw new ClientProtocolError('no authorization code: handle the callback first');
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.config.redirect_uri,
      code_verifier,
    });
    const response = await this.tokenRequest('token (authorization_code)', body, result);
    const openid = this.config.scope.split(' ').includes('openid');
    return this.acceptTokens(response, result, nonce, openid);
  }

  /**
   * RFC 6749 §4.4: a token for the client itself (no user, no browser), with the client's credentials
   * and its scope; under DPoP with a proof (RFC 9449 §5). No refresh token or ID token is expected.
   */
  async clientCredentials(): Promise<TokenResult> {
    const result = this.step('token (client_credentials)');
    await this.ensureFlow();
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.config.scope) body.set('scope', this.config.scope);
    const response = await this.tokenRequest('token (client_credentials)', body, result);
    return this.acceptTokens(response, result, undefined, false);
  }

  /** RFC 6749 §6; under DPoP with a proof of the same key (RFC 9449 §5). */
  async refresh(): Promise<TokenResult> {
    const result = this.step('token (refresh_token)');
    const refreshToken = this.flow.tokens?.refresh_token;
    if (!refreshToken) throw new ClientProtocolError('no refresh token');
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
    const response = await this.tokenRequest('token (refresh_token)', body, result);
    return this.acceptTokens(response, result, undefined, false);
  }

  private accessToken(): string {
    const token = this.flow.tokens?.access_token;
    if (!token) throw new ClientProtocolError('no access token');
    return token;
  }

  /** A protected resource request: `Authorization: DPoP` + proof with `ath` (RFC 9449 §7.1), or Bearer (RFC 6750 §2.1). */
  private async protectedRequest(label: string, url: string, method: string): Promise<ResourceResult> {
    const result = this.step(label);
    const token = this.accessToken();
    const dpop = this.usesDpop && this.flow.dpopKey;
    const response = await this.http.send({
      label,
      method,
      url,
      headers: { Authorization: `${dpop ? 'DPoP' : 'Bearer'} ${token}` },
      dpop: dpop ? this.dpopProofFor(method, url, token) : undefined,
      collect: result.exchanges,
    });
    throwIfErrorResponse(response);
    let json: unknown;
    try {
      json = JSON.parse(response.body);
    } catch {
      json = undefined;
    }
    return { ...result, status: response.status, body: response.body, json };
  }

  /** OpenID Connect Core §5.3. */
  async userinfo(): Promise<ResourceResult> {
    const metadata = await this.ensureDiscovered();
    return this.protectedRequest('userinfo', this.endpoint(metadata, 'userinfo_endpoint'), 'GET');
  }

  /** The demo resource server. */
  async callResource(url: string, method = 'GET'): Promise<ResourceResult> {
    return this.protectedRequest('resource', url, method);
  }

  /** RFC 7662 §2.1, with client authentication. */
  async introspect(token: string, token_type_hint?: string): Promise<IntrospectionResult> {
    const result = this.step('introspection');
    const metadata = await this.ensureDiscovered();
    const parameters = new URLSearchParams({ token });
    if (token_type_hint) parameters.set('token_type_hint', token_type_hint);
    const { headers, body } = await this.authenticated(metadata, parameters);
    const response = await this.http.send({
      label: 'introspection',
      method: 'POST',
      url: this.endpoint(metadata, 'introspection_endpoint'),
      headers: { Accept: 'application/json', ...headers },
      body,
      collect: result.exchanges,
    });
    throwIfErrorResponse(response);
    return { ...result, response: parseJsonObject(response) };
  }

  /** RFC 7009 §2.1, with client authentication; 200 even for an unknown token (§2.2). */
  async revoke(token: string, token_type_hint?: 'access_token' | 'refresh_token'): Promise<StepResult> {
    const result = this.step('revocation');
    const metadata = await this.ensureDiscovered();
    const parameters = new URLSearchParams({ token });
    if (token_type_hint) parameters.set('token_type_hint', token_type_hint);
    const { headers, body } = await this.authenticated(metadata, parameters);
    const response = await this.http.send({
      label: 'revocation',
      method: 'POST',
      url: this.endpoint(metadata, 'revocation_endpoint'),
      headers,
      body,
      collect: result.exchanges,
    });
    throwIfErrorResponse(response);
    return result;
  }

  /** OpenID Connect RP-Initiated Logout 1.0 §2: the logout URL with the ID token as hint. */
  async endSessionUrl(options: { post_logout_redirect_uri?: string; state?: string } = {}): Promise<string> {
    const metadata = await this.ensureDiscovered();
    const url = new URL(this.endpoint(metadata, 'end_session_endpoint'));
    const idToken = this.flow.tokens?.id_token;
    if (idToken) url.searchParams.set('id_token_hint', idToken);
    url.searchParams.set('client_id', this.config.client_id);
    const redirect = options.post_logout_redirect_uri ?? this.config.post_logout_redirect_uri;
    if (redirect) url.searchParams.set('post_logout_redirect_uri', redirect);
    if (options.state) url.searchParams.set('state', options.state);
    return url.href;
  }
}
