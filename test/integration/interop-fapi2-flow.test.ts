import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { loginHeadless } from '../../src/client';
import type { RunningServer } from '../../src/server';
import { fapiConfig, type FapiTestClient } from '../support/fapi-client';
import { startLabServer } from '../support/lab-server';

/**
 * The FAPI 2.0 flow driven by openid-client, unchanged: PAR with private_key_jwt → authorization with
 * request_uri only → login → code with `iss` → token with DPoP → userinfo and the resource API with
 * DPoP and `ath` → refresh with DPoP → revoke.
 */
describe.each(['ES256', 'PS256'] as const)('interoperability: openid-client, FAPI 2.0 flow (%s)', (alg) => {
  let server: RunningServer;
  let client: FapiTestClient;
  let config: oidc.Configuration;
  const redirectUri = 'https://rp.example.com/cb';

  beforeAll(async () => {
    const setup = await fapiConfig(alg);
    client = setup.client;
    server = await startLabServer(setup.config);
    config = await oidc.discovery(
      new URL(server.issuer),
      client.clientId,
      { id_token_signed_response_alg: alg, token_endpoint_auth_signing_alg: alg },
      oidc.PrivateKeyJwt({ key: client.privateKey, kid: client.kid }),
      { execute: [oidc.allowInsecureRequests] },
    );
  });
  afterAll(() => server?.close());

  it('serves the whole flow with sender-constrained tokens', async () => {
    const dpop = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
    const code_verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const authorizationUrl = await oidc.buildAuthorizationUrlWithPAR(
      config,
      {
        redirect_uri: redirectUri,
        scope: 'openid profile offline_access accounts',
        code_challenge: await oidc.calculatePKCECodeChallenge(code_verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      },
      { DPoP: dpop },
    );
    // FAPI 2.0 SP §5.3.2.2: the front channel carries only client_id and request_uri.
    expect([...authorizationUrl.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);

    const callback = await loginHeadless(authorizationUrl.href, {
      username: 'bob',
      password: 'builder',
      consent: 'allow',
      redirectUri,
    });
    expect(new URL(callback).searchParams.get('iss')).toBe(server.issuer);

    const tokens = await oidc.authorizationCodeGrant(
      config,
      new URL(callback),
      { pkceCodeVerifier: code_verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true },
      undefined,
      { DPoP: dpop },
    );
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    expect(decodeProtectedHeader(tokens.id_token as string)).toMatchObject({ alg, kid: expect.any(String) });
    const accessClaims = decodeJwt(tokens.access_token);
    expect(accessClaims.cnf).toMatchObject({ jkt: expect.any(String) });

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, 'bob', { DPoP: dpop });
    expect(userinfo).toMatchObject({ sub: 'bob', name: 'Bob Bâtisseur' });

    const accounts = await oidc.fetchProtectedResource(
      config,
      tokens.access_token,
      new URL(`${server.issuer}/api/accounts`),
      'GET',
      undefined,
      undefined,
      { DPoP: dpop },
    );
    expect(accounts.status).toBe(200);
    expect(((await accounts.json()) as { data: unknown[] }).data).toHaveLength(2);

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token as string, undefined, {
      DPoP: dpop,
    });
    expect(refreshed.token_type.toLowerCase()).toBe('dpop');
    // FAPI 2.0 SP §5.3.2.1: no refresh token rotation.
    expect(refreshed.refresh_token).toBeUndefined();

    const introspection = await oidc.tokenIntrospection(config, refreshed.access_token);
    expect(introspection).toMatchObject({ active: true, token_type: 'DPoP', cnf: accessClaims.cnf });

    await oidc.tokenRevocation(config, tokens.refresh_token as string);
    expect(await oidc.tokenIntrospection(config, refreshed.access_token)).toEqual({ active: false });
  });

  it('serves client_credentials with private_key_jwt and DPoP', async () => {
    const dpop = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'accounts' }, { DPoP: dpop });
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    const response = await oidc.fetchProtectedResource(
      config,
      tokens.access_token,
      new URL(`${server.issuer}/api/accounts`),
      'GET',
      undefined,
      undefined,
      { DPoP: dpop },
    );
    expect(response.status).toBe(200);
  });
});
