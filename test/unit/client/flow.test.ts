import { compactVerify, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import type { ClientExchangeReport } from '../../../src/common/lab-api';
import { accessTokenHash } from '../../../src/client/dpop';
import { ClientCheckError, ClientProtocolError, OAuthResponseError } from '../../../src/client/errors';
import { DemoClient, type DemoClientConfig } from '../../../src/client/flow';
import { runFapiFlow, runFlow } from '../../../src/client/flow-fapi';
import { runStandardFlow } from '../../../src/client/flow-standard';
import { decodeJwt } from '../../../src/client/jwt-inspect';
import { codeChallengeS256 } from '../../../src/client/pkce';
import { parseTraceparent } from '../../../src/client/traceparent';
import { createFakeProvider, type FakeProvider, type FakeProviderOptions } from './fake-provider';

const REDIRECT_URI = 'https://rp.example/cb';

async function clientJwk(): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const pair = await generateKeyPair('ES256', { extractable: true });
  return {
    privateJwk: { ...(await exportJWK(pair.privateKey)), kid: 'client-key', alg: 'ES256' },
    publicJwk: await exportJWK(pair.publicKey),
  };
}

async function setup(
  mode: 'standard' | 'fapi2',
  options: FakeProviderOptions = {},
  extra: Partial<DemoClientConfig> = {},
) {
  const provider = await createFakeProvider(options);
  const keys = await clientJwk();
  const reports: ClientExchangeReport[] = [];
  const client = new DemoClient({
    issuer: provider.issuer,
    client_id: mode === 'fapi2' ? 'fapi-client' : 'web-client',
    redirect_uri: REDIRECT_URI,
    post_logout_redirect_uri: 'https://rp.example/bye',
    scope: 'openid profile offline_access',
    mode,
    auth:
      mode === 'fapi2'
        ? { method: 'private_key_jwt', private_jwks: [keys.privateJwk] }
        : { method: 'client_secret_post', client_secret: 'web-client-secret-123' },
    fetch: provider.fetch,
    onExchange: (report) => reports.push(report),
    ...extra,
  });
  return { provider, client, reports, keys };
}

/** The user agent of these tests: the fake provider answers at once with a code. */
const userAgentFor = (provider: FakeProvider, client: DemoClient) => async (authorizationUrl: string) => {
  provider.authorize(authorizationUrl);
  return provider.callbackFor(client.flow.state!, REDIRECT_URI);
};

describe('the FAPI 2.0 flow', () => {
  it('pushes the request with private_key_jwt and dpop_jkt, then sends only client_id and request_uri', async () => {
    const { provider, client, keys } = await setup('fapi2');
    const outcome = await runFapiFlow(client, userAgentFor(provider, client));

    const par = provider.last('/par');
    expect(par.method).toBe('POST');
    expect(par.body.get('response_type')).toBe('code');
    expect(par.body.get('client_id')).toBe('fapi-client');
    expect(par.body.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(par.body.get('scope')).toBe('openid profile offline_access');
    expect(par.body.get('state')).toBe(client.flow.state);
    expect(par.body.get('nonce')).toBe(client.flow.nonce);
    expect(par.body.get('code_challenge_method')).toBe('S256');
    expect(par.body.get('code_challenge')).toBe(await codeChallengeS256(client.flow.code_verifier!));
    expect(par.body.get('dpop_jkt')).toBe(client.flow.dpopKey!.thumbprint);
    expect(par.body.has('client_secret')).toBe(false);
    expect(par.body.get('client_assertion_type')).toBe(
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    );
    const assertion = par.body.get('client_assertion')!;
    await expect(compactVerify(assertion, await importJWK(keys.publicJwk, 'ES256'))).resolves.toBeDefined();
    expect(decodeJwt(assertion).payload).toMatchObject({
      iss: 'fapi-client',
      sub: 'fapi-client',
      aud: provider.issuer,
    });

    expect(outcome.par?.request_uri).toBe('urn:ietf:params:oauth:request_uri:1');
    const authorizationUrl = new URL(outcome.authorizationUrl);
    expect(authorizationUrl.origin + authorizationUrl.pathname).toBe(`${provider.issuer}/authorize`);
    expect([...authorizationUrl.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
  });

  it('exchanges the code with the verifier and a DPoP proof, and validates the ID token', async () => {
    const { provider, client } = await setup('fapi2');
    const outcome = await runFapiFlow(client, userAgentFor(provider, client), { userinfo: false });
    const token = provider.last('/token');
    expect(token.body.get('grant_type')).toBe('authorization_code');
    expect(token.body.get('code')).toBe('code-1');
    expect(token.body.get('code_verifier')).toBe(client.flow.code_verifier);
    expect(token.body.get('redirect_uri')).toBe(REDIRECT_URI);
    const proof = decodeJwt(token.headers.get('dpop')!);
    expect(proof.header.jwk).toEqual(client.flow.dpopKey!.publicJwk);
    expect(proof.payload).toMatchObject({ htm: 'POST', htu: `${provider.issuer}/token` });
    expect(proof.payload).not.toHaveProperty('ath');

    expect(outcome.token.tokens.token_type).toBe('DPoP');
    expect(outcome.token.idToken?.claims.nonce).toBe(client.flow.nonce);
    expect(outcome.token.idToken?.kid).toBe('op-key-1');
    const passed = outcome.token.checks
      .filter((check) => check.outcome === 'passed')
      .map((check) => check.id);
    expect(passed).toEqual(
      expect.arrayContaining([
        'token_response.token_type',
        'id_token.signature',
        'id_token.iss',
        'id_token.aud',
        'id_token.sub',
        'id_token.nonce',
        'id_token.exp',
      ]),
    );
  });

  it('gets a token for the client itself (client_credentials) with private_key_jwt and a DPoP proof', async () => {
    const { provider, client } = await setup('fapi2', {}, { scope: 'accounts' });
    const result = await client.clientCredentials();
    const request = provider.last('/token');
    const { body } = request;
    expect(Object.fromEntries(body)).toMatchObject({
      grant_type: 'client_credentials',
      scope: 'accounts',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    });
    expect(body.has('code')).toBe(false);
    expect(decodeJwt(request.headers.get('dpop')!).payload).toMatchObject({
      htm: 'POST',
      htu: `${provider.issuer}/token`,
    });
    expect(result.tokens.token_type).toBe('DPoP');
    expect(result.idToken).toBeUndefined();
    expect(client.flow.tokens?.access_token).toBe(result.tokens.access_token);
  });

  it('uses the token at userinfo and the resource with DPoP and ath', async () => {
    const { provider, client } = await setup('fapi2');
    await runFapiFlow(client, userAgentFor(provider, client));
    const userinfo = provider.last('/userinfo');
    const accessToken = client.flow.tokens!.access_token;
    expect(userinfo.headers.get('authorization')).toBe(`DPoP ${accessToken}`);
    const proof = decodeJwt(userinfo.headers.get('dpop')!).payload;
    expect(proof).toMatchObject({
      htm: 'GET',
      htu: `${provider.issuer}/userinfo`,
      ath: await accessTokenHash(accessToken),
    });

    const resource = await client.callResource(`${provider.issuer}/userinfo?x=1`, 'GET');
    expect(resource.json).toEqual({ sub: 'alice' });
  });

  it('refreshes with a DPoP proof of the same key and keeps the ID token', async () => {
    const { provider, client } = await setup('fapi2');
    await runFapiFlow(client, userAgentFor(provider, client), { userinfo: false });
    const idToken = client.flow.tokens!.id_token;
    const refreshed = await client.refresh();
    const request = provider.last('/token');
    expect(request.body.get('grant_type')).toBe('refresh_token');
    expect(request.body.get('refresh_token')).toBe('rt-1');
    expect(request.body.get('client_assertion')).toBeTruthy();
    expect(decodeJwt(request.headers.get('dpop')!).header.jwk).toEqual(client.flow.dpopKey!.publicJwk);
    expect(refreshed.tokens.access_token).toBe(client.flow.tokens!.access_token);
    expect(client.flow.tokens!.id_token).toBe(idToken);
  });

  it('accepts a refreshed ID token about the same user, and refuses one about another (OIDC Core §12.2)', async () => {
    const same = await setup('fapi2', { refreshIdTokenClaims: (claims) => claims });
    await runFapiFlow(same.client, userAgentFor(same.provider, same.client), { userinfo: false });
    const refreshed = await same.client.refresh();
    expect(refreshed.idToken?.claims.sub).toBe('alice');

    const other = await setup('fapi2', { refreshIdTokenClaims: (claims) => ({ ...claims, sub: 'mallory' }) });
    await runFapiFlow(other.client, userAgentFor(other.provider, other.client), { userinfo: false });
    await expect(other.client.refresh()).rejects.toBeInstanceOf(ClientCheckError);
    expect(other.client.flow.idToken?.claims.sub).toBe('alice');
  });

  it('rejects a token_type other than DPoP (RFC 9449 §5)', async () => {
    const { provider, client } = await setup('fapi2', { tokenType: 'Bearer' });
    await expect(runFapiFlow(client, userAgentFor(provider, client))).rejects.toMatchObject({
      check: { id: 'token_response.token_type' },
    });
  });

  it('retries the token request with the server nonce', async () => {
    const { provider, client, reports } = await setup('fapi2', { dpopNonce: 'n-42' });
    await runFapiFlow(client, userAgentFor(provider, client), { userinfo: false });
    const tokenReports = reports.filter((report) => report.label.startsWith('token'));
    expect(tokenReports.map((report) => report.status)).toEqual([400, 200]);
    expect(decodeJwt(provider.last('/token').headers.get('dpop')!).payload.nonce).toBe('n-42');
    // A fresh client assertion for the retry: the server remembers the first one's jti (RFC 7523 §3 (7)).
    const assertions = provider.seen
      .filter((request) => request.url.pathname === '/token')
      .map((request) => decodeJwt(request.body.get('client_assertion')!).payload.jti);
    expect(assertions).toHaveLength(2);
    expect(assertions[0]).not.toBe(assertions[1]);
  });

  it('can bind PAR with a DPoP header instead of dpop_jkt', async () => {
    const { provider, client } = await setup('fapi2', {}, { parDpopBinding: 'header' });
    await client.startFlow();
    await client.pushAuthorizationRequest();
    const par = provider.last('/par');
    expect(par.body.has('dpop_jkt')).toBe(false);
    expect(decodeJwt(par.headers.get('dpop')!).payload).toMatchObject({
      htm: 'POST',
      htu: `${provider.issuer}/par`,
    });
  });

  it('generates a fresh non-extractable DPoP key for every flow; the standard mode has none', async () => {
    const { client } = await setup('fapi2');
    const first = (await client.startFlow()).dpopKey!;
    const second = (await client.startFlow()).dpopKey!;
    expect(first.thumbprint).not.toBe(second.thumbprint);
    expect(second.privateKey.extractable).toBe(false);
    const standard = await setup('standard');
    expect((await standard.client.startFlow()).dpopKey).toBeUndefined();
  });

  it('refuses to build a front-channel request without PAR', async () => {
    const { client } = await setup('fapi2');
    await client.startFlow();
    await expect(client.authorizationUrl()).rejects.toBeInstanceOf(ClientProtocolError);
  });
});

describe('the ID token checks (OpenID Connect Core §3.1.3.7)', () => {
  const cases: [string, FakeProviderOptions, string][] = [
    ['a wrong nonce', { idTokenClaims: (c) => ({ ...c, nonce: 'other' }) }, 'id_token.nonce'],
    ['no nonce', { idTokenClaims: ({ nonce: _n, ...c }) => c }, 'id_token.nonce'],
    ['another audience', { idTokenClaims: (c) => ({ ...c, aud: 'someone-else' }) }, 'id_token.aud'],
    [
      'several audiences without azp',
      { idTokenClaims: (c) => ({ ...c, aud: [c.aud, 'x'] }) },
      'id_token.azp',
    ],
    ['another issuer', { idTokenClaims: (c) => ({ ...c, iss: 'https://evil.example' }) }, 'id_token.iss'],
    ['no sub', { idTokenClaims: ({ sub: _s, ...c }) => c }, 'id_token.sub'],
    ['an empty sub', { idTokenClaims: (c) => ({ ...c, sub: '' }) }, 'id_token.sub'],
    ['an expired token', { idTokenClaims: (c) => ({ ...c, exp: 1000, iat: 900 }) }, 'id_token.exp'],
    [
      'an iat in the future',
      { idTokenClaims: (c) => ({ ...c, iat: (c.iat as number) + 3600 }) },
      'id_token.iat',
    ],
    ['a key not in the JWKS', { signWithUnknownKey: true }, 'id_token.signature'],
    // OpenID Connect Core §3.1.3.7 (7): an alg the client does not take is refused before any key is read.
    ['an unsecured token (alg none)', { unsecuredIdToken: true }, 'id_token.alg'],
    ['no ID token at all', { withoutIdToken: true }, 'token_response.id_token'],
  ];
  it.each(cases)('rejects %s', async (_name, options, checkId) => {
    const { provider, client } = await setup('fapi2', options);
    const attempt = runFapiFlow(client, userAgentFor(provider, client), { userinfo: false });
    await expect(attempt).rejects.toBeInstanceOf(ClientCheckError);
    await expect(attempt).rejects.toMatchObject({ check: { id: checkId, outcome: 'failed' } });
  });

  it('refetches the JWKS once when the kid is unknown (key rotation), then gives up', async () => {
    const { provider, client } = await setup('fapi2', { idTokenKid: 'rotated-key' });
    await expect(runFapiFlow(client, userAgentFor(provider, client))).rejects.toMatchObject({
      check: { id: 'id_token.signature' },
    });
    const jwksFetches = provider.seen.filter((request) => request.url.pathname === '/jwks');
    expect(jwksFetches).toHaveLength(2);
    // The second past the HTTP cache: a browser's cached copy (max-age 60) lacks the new key as well.
    expect(jwksFetches.map((request) => request.cache)).toEqual([undefined, 'reload']);
  });

  it('fetches the JWKS only once when the kid is known, even if the signature is bad', async () => {
    const { provider, client } = await setup('fapi2', { signWithUnknownKey: true });
    await expect(runFapiFlow(client, userAgentFor(provider, client))).rejects.toBeInstanceOf(
      ClientCheckError,
    );
    expect(provider.seen.filter((request) => request.url.pathname === '/jwks')).toHaveLength(1);
  });
});

describe('the standard flow', () => {
  it('sends every parameter in the front channel and authenticates with client_secret_post', async () => {
    const { provider, client } = await setup('standard');
    const outcome = await runStandardFlow(client, userAgentFor(provider, client));
    const params = new URL(outcome.authorizationUrl).searchParams;
    expect(Object.fromEntries(params)).toEqual({
      response_type: 'code',
      client_id: 'web-client',
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile offline_access',
      state: client.flow.state,
      nonce: client.flow.nonce,
      code_challenge: await codeChallengeS256(client.flow.code_verifier!),
      code_challenge_method: 'S256',
    });
    expect(provider.seen.some((request) => request.url.pathname === '/par')).toBe(false);
    const token = provider.last('/token');
    expect(token.body.get('client_secret')).toBe('web-client-secret-123');
    expect(token.headers.has('dpop')).toBe(false);
    expect(outcome.token.tokens.token_type).toBe('Bearer');
    expect(provider.last('/userinfo').headers.get('authorization')).toBe(
      `Bearer ${client.flow.tokens!.access_token}`,
    );
  });

  it('surfaces a token endpoint error as an OAuthResponseError', async () => {
    const { provider, client } = await setup('standard');
    await client.startFlow();
    await client.discover();
    provider.authorize(await client.authorizationUrl());
    await client.handleCallback(provider.callbackFor(client.flow.state!, REDIRECT_URI));
    client.flow.code_verifier = 'a-wrong-verifier-a-wrong-verifier-a-wrong-verifier';
    await expect(client.exchangeCode()).rejects.toMatchObject({ error: 'invalid_grant', status: 400 });
    await expect(client.exchangeCode()).rejects.toBeInstanceOf(OAuthResponseError);
  });

  it('is dispatched by runFlow from the mode', async () => {
    const { provider, client } = await setup('standard');
    const outcome = await runFlow(client, userAgentFor(provider, client));
    expect(outcome.par).toBeUndefined();
  });
});

describe('the exchange observer', () => {
  it('gets every request and response of a flow, all under one trace id', async () => {
    const { provider, client, reports } = await setup('fapi2');
    await runFapiFlow(client, userAgentFor(provider, client));
    expect(reports.map((report) => report.label)).toEqual([
      'discovery',
      'PAR',
      'token (authorization_code)',
      'JWKS',
      'userinfo',
    ]);
    expect(reports).toHaveLength(provider.seen.length);
    const traceIds = new Set(reports.map((report) => report.traceId));
    expect(traceIds).toEqual(new Set([client.flow.traceId]));
    expect(new Set(reports.map((report) => report.spanId)).size).toBe(reports.length);
    reports.forEach((report, i) => {
      const seen = provider.seen[i]!;
      expect(report.url).toBe(seen.url.href);
      expect(parseTraceparent(seen.headers.get('traceparent')!)).toMatchObject({
        traceId: report.traceId,
        spanId: report.spanId,
      });
      expect(report.status).toBeGreaterThanOrEqual(200);
      expect(report.responseBody).not.toBeNull();
    });

    // A new flow, a new trace.
    const before = client.flow.traceId;
    await client.startFlow();
    await client.discover();
    expect(reports.at(-1)!.traceId).not.toBe(before);
  });

  it('each step returns the exchanges it made', async () => {
    const { provider, client } = await setup('fapi2');
    const outcome = await runFapiFlow(client, userAgentFor(provider, client));
    expect(outcome.par?.exchanges.map((e) => e.label)).toEqual(['PAR']);
    expect(outcome.token.exchanges.map((e) => e.label)).toEqual(['token (authorization_code)', 'JWKS']);
  });
});

describe('discovery', () => {
  it('rejects a configuration whose issuer is not exactly the one asked for', async () => {
    const { client } = await setup('fapi2', { advertisedIssuer: 'https://op.example/' });
    await expect(client.discover()).rejects.toMatchObject({ check: { id: 'discovery.issuer' } });
  });
});

describe('introspection, revocation and logout', () => {
  it('authenticate the client and send the token', async () => {
    const { provider, client } = await setup('fapi2');
    await runFapiFlow(client, userAgentFor(provider, client), { userinfo: false });
    const introspection = await client.introspect('at-x', 'access_token');
    expect(introspection.response).toEqual({ active: true, client_id: 'c' });
    const request = provider.last('/introspect');
    expect(request.body.get('token')).toBe('at-x');
    expect(request.body.get('token_type_hint')).toBe('access_token');
    expect(request.body.get('client_assertion')).toBeTruthy();

    await client.revoke('rt-1', 'refresh_token');
    const revoke = provider.last('/revoke');
    expect(revoke.body.get('token')).toBe('rt-1');
    expect(revoke.body.get('token_type_hint')).toBe('refresh_token');
    expect(revoke.body.get('client_assertion')).toBeTruthy();

    const logout = new URL(await client.endSessionUrl({ state: 'bye-state' }));
    expect(logout.searchParams.get('id_token_hint')).toBe(client.flow.tokens!.id_token);
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe('https://rp.example/bye');
    expect(logout.searchParams.get('state')).toBe('bye-state');
  });
});
