import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { RunningServer } from '../../src/server';
import { fapiCodeFlow, fetchAccounts, startFapiLab } from '../support/fapi-client';

/**
 * The FAPI 2.0 flow driven by openid-client, unchanged: PAR with private_key_jwt → authorization with
 * request_uri only → login → code with `iss` → token with DPoP → userinfo and the resource API with
 * DPoP and `ath` → refresh with DPoP → revoke.
 */
describe.each(['ES256', 'PS256'] as const)('interoperability: openid-client, FAPI 2.0 flow (%s)', (alg) => {
  let server: RunningServer;
  let config: oidc.Configuration;
  const redirectUri = 'https://rp.example.com/cb';

  beforeAll(async () => {
    ({ server, config } = await startFapiLab(alg));
  });
  afterAll(() => server?.close());

  it('serves the whole flow with sender-constrained tokens', async () => {
    const dpop = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
    const nonce = oidc.randomNonce();
    const { authorizationUrl, callback, tokens } = await fapiCodeFlow(config, dpop, {
      redirectUri,
      scope: 'openid profile offline_access accounts',
      nonce,
    });
    // FAPI 2.0 SP §5.3.2.2: the front channel carries only client_id and request_uri.
    expect([...authorizationUrl.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    // RFC 9207 §2: the authorization response names its issuer.
    expect(new URL(callback).searchParams.get('iss')).toBe(server.issuer);
    expect(tokens.claims()?.nonce).toBe(nonce);

    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    expect(decodeProtectedHeader(tokens.id_token as string)).toMatchObject({ alg, kid: expect.any(String) });
    const accessClaims = decodeJwt(tokens.access_token);
    expect(accessClaims.cnf).toMatchObject({ jkt: expect.any(String) });

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, 'bob', { DPoP: dpop });
    expect(userinfo).toMatchObject({ sub: 'bob', name: 'Bob Bâtisseur' });

    const accounts = await fetchAccounts(config, tokens.access_token, server.issuer, dpop);
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
    const response = await fetchAccounts(config, tokens.access_token, server.issuer, dpop);
    expect(response.status).toBe(200);
  });
});
