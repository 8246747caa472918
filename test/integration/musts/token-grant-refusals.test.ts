import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MustsLab, expectOAuthError } from '../../support/musts-helpers';

/**
 * The token endpoint refuses a code it never issued (RFC 6749 §5.2 invalid_grant) and a refresh
 * request asking for more than was granted (RFC 6749 §6 invalid_scope).
 */
describe('MUST: token endpoint, unknown codes and refresh scope', () => {
  let lab: MustsLab;

  beforeAll(async () => {
    lab = await MustsLab.start();
  });
  afterAll(() => lab?.close());

  it('RFC 6749 §5.2: an authorization code this server never issued is refused (400 invalid_grant)', async () => {
    const dpopKey = await lab.dpopKey();
    const { code, pkce } = await lab.fapiCode();
    // One character changed in a real code, a random value of the same shape.
    const altered = `${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}`;
    for (const unknown of [altered, randomBytes(32).toString('base64url')]) {
      const response = await lab.redeemFapiCode(unknown, pkce.code_verifier, dpopKey);
      expectOAuthError(response, 400, 'invalid_grant');
      expect(response.json).not.toHaveProperty('access_token');
    }
    // The real code, with the very same request, is accepted.
    const real = await lab.redeemFapiCode(code, pkce.code_verifier, dpopKey);
    expect(real.status, real.text).toBe(200);
  });

  it('RFC 6749 §6: a refresh request with a scope wider than the grant is refused (400 invalid_scope)', async () => {
    const tokens = await lab.fapiTokens({ scope: 'openid offline_access' });
    const refresh = async (scope: string) =>
      lab.post(
        '/token',
        {
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token as string,
          scope,
          ...(await lab.clientAuth()),
        },
        { DPoP: await lab.proof(tokens.dpopKey, 'POST', '/token') },
      );
    // accounts and email are registered for the client but were not granted.
    for (const scope of ['openid offline_access accounts', 'openid email', 'accounts']) {
      const response = await refresh(scope);
      expectOAuthError(response, 400, 'invalid_scope');
      expect(response.json).not.toHaveProperty('access_token');
    }
    // RFC 6749 §3.3: a scope without a scope token is malformed, not an empty request.
    for (const scope of [' ', 'openid  offline_access']) {
      expectOAuthError(await refresh(scope), 400, 'invalid_scope');
    }
    // Within the grant, the same refresh token still works.
    const within = await refresh('openid');
    expect(within.status, within.text).toBe(200);
    expect(within.json?.scope).toBe('openid');
  });

  it('RFC 6749 §3.3: client_credentials with a malformed scope is refused (400 invalid_scope)', async () => {
    const request = async (scope: string) =>
      lab.post(
        '/token',
        { grant_type: 'client_credentials', scope, ...(await lab.clientAuth()) },
        { DPoP: await lab.proof(await lab.dpopKey(), 'POST', '/token') },
      );
    for (const scope of [' ', 'accounts ', ' accounts']) {
      const response = await request(scope);
      expectOAuthError(response, 400, 'invalid_scope');
      expect(response.json).not.toHaveProperty('access_token');
    }
    const wellFormed = await request('accounts');
    expect(wellFormed.status, wellFormed.text).toBe(200);
  });
});
