import { describe, expect, it } from 'vitest';
import { acrossRestart, expectOAuthError } from '../../support/musts-helpers';

/**
 * OpenID Connect Core §5.3.2: userinfo returns claims about the authenticated End-User. A token whose
 * user is no longer configured (the provider restarted without them) names nobody: it is refused.
 */
describe('MUST: userinfo answers only for a user the provider knows', () => {
  it('a token of a user removed from the configuration since it was issued: 401 invalid_token', async () => {
    await acrossRestart(
      {},
      async (before) => {
        const tokens = await before.fapiTokens({ scope: 'openid' });
        const known = await before.resource('/userinfo', tokens.access_token, tokens.dpopKey);
        expect(known.status, known.text).toBe(200);
        return tokens;
      },
      // The same issuer and signing keys, without alice.
      { withoutUsers: ['alice'] },
      async (after, tokens) => {
        const response = await after.resource('/userinfo', tokens.access_token, tokens.dpopKey);
        expectOAuthError(response, 401, 'invalid_token');
        expect(response.json?.error_description).toMatch(/subject/);
        expect(response.json).not.toHaveProperty('sub');
      },
    );
  });
});
