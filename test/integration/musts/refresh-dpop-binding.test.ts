import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MustsLab, expectOAuthError } from '../../support/musts-helpers';

/**
 * RFC 9449 §5: a client that is not registered for DPoP may still ask for DPoP-bound tokens; the grant
 * then stays sender-constrained — a refresh without a proof must not hand out a Bearer token.
 */
describe('MUST: a DPoP-bound grant is never refreshed into Bearer tokens', () => {
  let lab: MustsLab;
  let refreshToken: string;

  beforeAll(async () => {
    lab = await MustsLab.start();
    const key = await lab.dpopKey();
    const tokens = await lab.standardTokens('openid offline_access', {
      tokenHeaders: { DPoP: await lab.proof(key, 'POST', '/token') },
    });
    expect(tokens.token_type).toBe('DPoP');
    refreshToken = tokens.refresh_token as string;
  });
  afterAll(() => lab?.close());

  it('refuses a refresh without a proof (400 invalid_dpop_proof)', async () => {
    const response = await lab.post('/token', {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      ...lab.standardAuth(),
    });
    expectOAuthError(response, 400, 'invalid_dpop_proof');
  });

  it('refreshes with a proof — of a new key too, since a confidential client’s refresh token is bound to its authentication', async () => {
    const newKey = await lab.dpopKey();
    const response = await lab.post(
      '/token',
      { grant_type: 'refresh_token', refresh_token: refreshToken, ...lab.standardAuth() },
      { DPoP: await lab.proof(newKey, 'POST', '/token') },
    );
    expect(response.status, response.text).toBe(200);
    expect(response.json?.token_type).toBe('DPoP');
  });
});
