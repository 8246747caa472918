import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAPI_REDIRECT_URI,
  MustsBrowser,
  MustsLab,
  STANDARD_CLIENT_ID,
  expectOAuthError,
  type IssuedTokens,
} from '../../support/musts-helpers';

/**
 * ID tokens, userinfo, refresh, revocation and introspection (OpenID Connect Core §2, §3.1.2.1, §5.3,
 * §11; FAPI 2.0 SP §5.3.2.1; RFC 7009; RFC 7662).
 */
describe('MUST: tokens, OpenID Connect, refresh, revocation, introspection', () => {
  let lab: MustsLab;
  let jwks: JSONWebKeySet;

  beforeAll(async () => {
    lab = await MustsLab.start();
    jwks = (await lab.get('/jwks')).json as unknown as JSONWebKeySet;
  });
  afterAll(() => lab?.close());

  /** The standard client through PAR (the server setting requires it) with client_secret_post. */
  const standardTokens = (scope: string, user?: { username: string; password: string }) =>
    lab.standardTokens(scope, { nonce: 'standard-nonce', ...(user ? { user } : {}) });

  describe('ID token', () => {
    let tokens: IssuedTokens;
    beforeAll(async () => {
      tokens = await lab.fapiTokens({ nonce: 'the-nonce-of-this-request', max_age: '300' });
    });

    it('carries iss, sub, aud, exp, iat, auth_time (max_age was sent) and the nonce; verifies with the JWKS', async () => {
      const { payload } = await jwtVerify(tokens.id_token as string, createLocalJWKSet(jwks), {
        issuer: lab.issuer,
        audience: lab.fapi.clientId,
        currentDate: new Date(lab.clock.now()),
      });
      expect(payload.sub).toBe('alice');
      expect(payload.nonce).toBe('the-nonce-of-this-request');
      expect(payload.exp).toBeGreaterThan(lab.clock.seconds());
      expect(payload.iat).toBeLessThanOrEqual(lab.clock.seconds());
      expect(typeof payload.auth_time).toBe('number');
      // OIDC Core §2 (amr, where known): the user logged in with a password (RFC 8176 §2: "pwd").
      expect(payload.amr).toEqual(['pwd']);
    });

    it('has a kid naming a published key, and the alg the client registered (ES256)', () => {
      const header = decodeProtectedHeader(tokens.id_token as string);
      expect(header.alg).toBe(lab.fapi.alg);
      expect(header.kid).toEqual(expect.any(String));
      expect(jwks.keys.some((k) => k.kid === header.kid)).toBe(true);
    });

    it('the standard client, registering no algorithm, gets RS256 (the OIDC default), never none', async () => {
      const standard = await standardTokens('openid');
      const header = decodeProtectedHeader(standard.id_token as string);
      expect(header.alg).toBe('RS256');
      expect(header.kid).toEqual(expect.any(String));
    });
  });

  describe('userinfo and scopes', () => {
    it('openid alone: sub only, no profile or email claims', async () => {
      const tokens = await lab.fapiTokens({ scope: 'openid' });
      const response = await lab.resource('/userinfo', tokens.access_token, tokens.dpopKey);
      expect(response.status, response.text).toBe(200);
      expect(response.json).toEqual({ sub: 'alice' });
    });

    it('openid email: email claims, no profile claims', async () => {
      const tokens = await lab.fapiTokens({ scope: 'openid email' });
      const response = await lab.resource('/userinfo', tokens.access_token, tokens.dpopKey);
      expect(response.json).toMatchObject({ sub: 'alice', email: 'alice@example.com' });
      expect(response.json).not.toHaveProperty('name');
      expect(response.json).not.toHaveProperty('given_name');
    });

    it('openid profile: profile claims, no email', async () => {
      const tokens = await lab.fapiTokens({ scope: 'openid profile' });
      const response = await lab.resource('/userinfo', tokens.access_token, tokens.dpopKey);
      expect(response.json).toMatchObject({ sub: 'alice', name: 'Alice Liddell' });
      expect(response.json).not.toHaveProperty('email');
    });

    it('a token without openid is refused at userinfo', async () => {
      const tokens = await lab.fapiTokens({ scope: 'accounts' });
      const response = await lab.resource('/userinfo', tokens.access_token, tokens.dpopKey);
      expect(response.status).toBeGreaterThanOrEqual(401);
      expect(response.status).toBeLessThan(500);
      expect(['insufficient_scope', 'invalid_token']).toContain(response.json?.error);
    });

    it('a refresh token only with offline_access', async () => {
      const without = await lab.fapiTokens({ scope: 'openid profile' });
      expect(without.refresh_token).toBeUndefined();
      const withOffline = await lab.fapiTokens({ scope: 'openid offline_access' });
      expect(withOffline.refresh_token).toEqual(expect.any(String));
      const standard = await standardTokens('openid email');
      expect(standard.refresh_token).toBeUndefined();
    });
  });

  describe('prompt', () => {
    it('prompt=none with a session but scopes never consented: consent_required', async () => {
      // bob logs in and consents to openid only; email was never consented.
      const bobBrowser = new MustsBrowser();
      const { params } = await lab.fapiParams({ scope: 'openid' });
      const pushed = await lab.par(params);
      await bobBrowser.authorize(lab.authorizeUrl(pushed.json?.request_uri as string), lab.issuer, {
        username: 'bob',
        password: 'builder',
      });
      const none = await lab.fapiParams({ scope: 'openid email', prompt: 'none', state: 'cr' });
      const pushedNone = await lab.par(none.params);
      const response = await bobBrowser.get(lab.authorizeUrl(pushedNone.json?.request_uri as string));
      expect(response.status).toBe(303);
      expect(response.location?.href.startsWith(FAPI_REDIRECT_URI)).toBe(true);
      expect(response.location?.searchParams.get('error')).toBe('consent_required');
      expect(response.location?.searchParams.get('state')).toBe('cr');
    });

    it('prompt=login with a live session shows the login page again', async () => {
      const browser = new MustsBrowser();
      await lab.fapiCode({}, { browser });
      const { params } = await lab.fapiParams({ prompt: 'login' });
      const pushed = await lab.par(params);
      const page = await browser.follow(
        await browser.get(lab.authorizeUrl(pushed.json?.request_uri as string)),
        lab.issuer,
      );
      expect(page.status).toBe(200);
      expect(page.text).toContain('name="password"');
    });
  });

  describe('refresh', () => {
    let tokens: IssuedTokens;
    beforeAll(async () => {
      tokens = await lab.fapiTokens();
    });

    const refresh = async (extra: Record<string, string>, dpop?: string) =>
      lab.post(
        '/token',
        { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string, ...extra },
        dpop ? { DPoP: dpop } : {},
      );

    it('works with client authentication and a proof: DPoP-bound, not rotated', async () => {
      const response = await refresh(
        await lab.clientAuth(),
        await lab.proof(tokens.dpopKey, 'POST', '/token'),
      );
      expect(response.status, response.text).toBe(200);
      expect(response.json?.token_type).toBe('DPoP');
      expect(response.json?.refresh_token).toBeUndefined();
    });

    it('with openid, a new ID token of the same iss, sub, aud and auth_time, without the nonce (OIDC Core §12.2)', async () => {
      const original = await lab.fapiTokens({ nonce: 'nonce-of-the-code', max_age: '300' });
      const first = decodeJwt(original.id_token as string);
      expect(first.nonce).toBe('nonce-of-the-code');
      const response = await lab.post(
        '/token',
        {
          grant_type: 'refresh_token',
          refresh_token: original.refresh_token as string,
          ...(await lab.clientAuth()),
        },
        { DPoP: await lab.proof(original.dpopKey, 'POST', '/token') },
      );
      expect(response.status, response.text).toBe(200);
      const { payload } = await jwtVerify(response.json?.id_token as string, createLocalJWKSet(jwks), {
        issuer: lab.issuer,
        audience: lab.fapi.clientId,
        currentDate: new Date(lab.clock.now()),
      });
      expect(payload.sub).toBe(first.sub);
      expect(payload.auth_time).toBe(first.auth_time);
      expect(typeof payload.auth_time).toBe('number');
      expect(payload.iat).toBeGreaterThanOrEqual(first.iat as number);
      expect(payload).not.toHaveProperty('nonce');
    });

    it('without openid in the refreshed scope, no ID token', async () => {
      const original = await lab.fapiTokens();
      const response = await lab.post(
        '/token',
        {
          grant_type: 'refresh_token',
          refresh_token: original.refresh_token as string,
          scope: 'offline_access accounts',
          ...(await lab.clientAuth()),
        },
        { DPoP: await lab.proof(original.dpopKey, 'POST', '/token') },
      );
      expect(response.status, response.text).toBe(200);
      expect(response.json?.scope).toBe('offline_access accounts');
      expect(response.json?.access_token).toEqual(expect.any(String));
      expect(response.json).not.toHaveProperty('id_token');
    });

    it('requires client authentication (401 invalid_client)', async () => {
      const response = await refresh(
        { client_id: lab.fapi.clientId },
        await lab.proof(tokens.dpopKey, 'POST', '/token'),
      );
      expectOAuthError(response, 401, 'invalid_client');
    });

    it('is bound to its client: another client gets invalid_grant', async () => {
      expectOAuthError(await refresh(lab.standardAuth()), 400, 'invalid_grant');
    });

    it('requires a DPoP proof for a DPoP client (400 invalid_dpop_proof)', async () => {
      expectOAuthError(await refresh(await lab.clientAuth()), 400, 'invalid_dpop_proof');
    });

    it('an unknown refresh token is invalid_grant', async () => {
      const response = await lab.post(
        '/token',
        {
          grant_type: 'refresh_token',
          refresh_token: 'not-a-refresh-token-of-this-server',
          ...(await lab.clientAuth()),
        },
        { DPoP: await lab.proof(tokens.dpopKey, 'POST', '/token') },
      );
      expectOAuthError(response, 400, 'invalid_grant');
    });
  });

  describe('revocation (RFC 7009)', () => {
    it('an unknown token: 200', async () => {
      const response = await lab.post('/revoke', {
        token: 'never-issued-token',
        ...(await lab.clientAuth()),
      });
      expect(response.status).toBe(200);
    });

    it('requires client authentication (401 invalid_client), and then revokes nothing', async () => {
      const tokens = await lab.fapiTokens();
      const response = await lab.post('/revoke', {
        token: tokens.refresh_token as string,
        client_id: lab.fapi.clientId,
      });
      expectOAuthError(response, 401, 'invalid_client');
      expect(await lab.introspect(tokens.access_token)).toMatchObject({ active: true });
    });

    it('another client cannot revoke the token', async () => {
      const tokens = await lab.fapiTokens();
      const response = await lab.post('/revoke', {
        token: tokens.refresh_token as string,
        ...lab.standardAuth(),
      });
      expect(response.status).toBeLessThan(500);
      expect(await lab.introspect(tokens.refresh_token as string)).toMatchObject({ active: true });
    });

    it('revoking a refresh token revokes the access tokens of its grant and the token itself', async () => {
      const tokens = await lab.fapiTokens();
      const response = await lab.post('/revoke', {
        token: tokens.refresh_token as string,
        ...(await lab.clientAuth()),
      });
      expect(response.status).toBe(200);
      expect(await lab.introspect(tokens.access_token)).toEqual({ active: false });
      expect(await lab.introspect(tokens.refresh_token as string)).toEqual({ active: false });
      const atResource = await lab.resource('/userinfo', tokens.access_token, tokens.dpopKey);
      expect(atResource.status).toBe(401);
      // The demo resource server learns of it too: a revoked grant is dead everywhere.
      const atApi = await lab.resource('/api/accounts', tokens.access_token, tokens.dpopKey);
      expect(atApi.status, atApi.text).toBe(401);
      expect(atApi.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_token"/);
    });

    it('revoking an access token makes it inactive', async () => {
      const tokens = await lab.fapiTokens();
      await lab.post('/revoke', { token: tokens.access_token, ...(await lab.clientAuth()) });
      expect(await lab.introspect(tokens.access_token)).toEqual({ active: false });
    });
  });

  describe('access token (RFC 9068)', () => {
    it('has a unique jti (§2.2) minted from its issue time, so that its record is appended in jti order', async () => {
      const first = decodeJwt((await lab.fapiTokens()).access_token);
      // The lab's clock stands still unless moved: ids of one millisecond are in no particular order.
      lab.clock.advance(1);
      const second = decodeJwt((await lab.fapiTokens()).access_token);
      for (const claims of [first, second]) {
        // RFC 9562 §5.7: UUID version 7, its first 48 bits the time in milliseconds.
        expect(claims.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        const ms = Number.parseInt(String(claims.jti).replace(/-/g, '').slice(0, 12), 16);
        expect(Math.floor(ms / 1000)).toBe(claims.iat);
      }
      expect(String(first.jti) < String(second.jti)).toBe(true);
    });
  });

  describe('introspection (RFC 7662)', () => {
    it('active tokens: token_type DPoP and cnf.jkt', async () => {
      const tokens = await lab.fapiTokens();
      const result = await lab.introspect(tokens.access_token);
      expect(result).toMatchObject({
        active: true,
        token_type: 'DPoP',
        client_id: lab.fapi.clientId,
        sub: 'alice',
        cnf: { jkt: tokens.dpopKey.thumbprint },
      });
      expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt: tokens.dpopKey.thumbprint });
    });

    it('a bearer token of the standard client: token_type Bearer and no cnf', async () => {
      const standard = await standardTokens('openid');
      const response = await lab.post('/introspect', {
        token: standard.access_token as string,
        ...lab.standardAuth(),
      });
      expect(response.json).toMatchObject({
        active: true,
        token_type: 'Bearer',
        client_id: STANDARD_CLIENT_ID,
      });
      expect(response.json).not.toHaveProperty('cnf');
    });

    it('unknown and malformed tokens: exactly { active: false }', async () => {
      expect(await lab.introspect('unknown-token')).toEqual({ active: false });
      expect(await lab.introspect('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.')).toEqual({ active: false });
    });

    it('an expired access token: exactly { active: false }', async () => {
      const tokens = await lab.fapiTokens();
      const lifetime = tokens as unknown as { expires_in: number };
      lab.clock.advance(lifetime.expires_in + 1);
      try {
        expect(await lab.introspect(tokens.access_token)).toEqual({ active: false });
      } finally {
        lab.clock.advance(-(lifetime.expires_in + 1));
      }
      expect(await lab.introspect(tokens.access_token)).toMatchObject({ active: true });
    });

    it('requires client authentication (401 invalid_client)', async () => {
      const tokens = await lab.fapiTokens();
      const response = await lab.post('/introspect', {
        token: tokens.access_token,
        client_id: lab.fapi.clientId,
      });
      expectOAuthError(response, 401, 'invalid_client');
      expect(response.json).not.toHaveProperty('active');
    });
  });
});
