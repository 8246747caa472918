import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginHeadless, parseForms } from '../../src/client';
import type { RunningServer } from '../../src/server';
import { TestBrowser } from '../support/browser';
import { startLabServer } from '../support/lab-server';

/**
 * The standard flow driven by a certified third-party relying-party library (openid-client), used as
 * its documentation says, against the provider over real HTTP: discovery → authorize → login →
 * consent → code → token → userinfo → refresh → introspect → revoke → logout.
 */
describe('interoperability: openid-client, standard flow (client_secret_post, PKCE S256)', () => {
  let server: RunningServer;
  let config: oidc.Configuration;
  const clientId = 'demo-standard';
  const secret = 'demo-standard-secret-not-for-production';
  const redirectUri = 'http://127.0.0.1:53000/callback';

  beforeAll(async () => {
    server = await startLabServer();
    config = await oidc.discovery(new URL(server.issuer), clientId, secret, oidc.ClientSecretPost(secret), {
      execute: [oidc.allowInsecureRequests],
    });
  });
  afterAll(() => server?.close());

  it('runs the whole flow, and every token behaves as issued', async () => {
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(server.issuer);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);

    const code_verifier = oidc.randomPKCECodeVerifier();
    const code_challenge = await oidc.calculatePKCECodeChallenge(code_verifier);
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const authorizationUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile email offline_access',
      code_challenge,
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const callback = await loginHeadless(authorizationUrl.href, {
      username: 'alice',
      password: 'wonderland',
      consent: 'allow',
      redirectUri,
    });
    // RFC 9207: the response names its issuer.
    expect(new URL(callback).searchParams.get('iss')).toBe(server.issuer);

    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), {
      pkceCodeVerifier: code_verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.refresh_token).toBeTruthy();
    const claims = tokens.claims();
    expect(claims?.sub).toBe('alice');
    expect(claims?.nonce).toBe(nonce);

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, 'alice');
    expect(userinfo).toMatchObject({ sub: 'alice', email: 'alice@example.com', name: 'Alice Liddell' });

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(refreshed.access_token).not.toBe(tokens.access_token);

    const active = await oidc.tokenIntrospection(config, refreshed.access_token);
    expect(active).toMatchObject({ active: true, client_id: clientId, sub: 'alice', token_type: 'Bearer' });

    await oidc.tokenRevocation(config, tokens.refresh_token as string, { token_type_hint: 'refresh_token' });
    // Revoking the refresh token revokes its grant: the access tokens under it too (RFC 7009 §2.1).
    expect(await oidc.tokenIntrospection(config, refreshed.access_token)).toEqual({ active: false });
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    await expect(oidc.fetchUserInfo(config, refreshed.access_token, 'alice')).rejects.toBeDefined();

    // RP-Initiated Logout: the confirmation page, then back to the registered URI with the state.
    const logoutUrl = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token as string,
      post_logout_redirect_uri: redirectUri.replace(':53000', ''),
      state: 'bye',
    });
    const browser = new TestBrowser();
    const page = await browser.get(logoutUrl.href);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(parseForms(html, logoutUrl.href)[0]?.buttons.map((b) => b.value)).toContain('logout');
    const done = await browser.submit(html, logoutUrl.href, {}, { name: 'decision', value: 'logout' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('http://127.0.0.1/callback?state=bye');
  });
});
