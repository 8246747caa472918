import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MustsLab, expectOAuthError, type IssuedTokens } from '../../support/musts-helpers';

/**
 * OpenID Connect Core §5.3.2: userinfo returns claims about the authenticated End-User. A token whose
 * user is no longer configured (the provider restarted without them) names nobody: it is refused.
 */
describe('MUST: userinfo answers only for a user the provider knows', () => {
  it('a token of a user removed from the configuration since it was issued: 401 invalid_token', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trusty-lab-musts-'));
    try {
      let tokens: IssuedTokens;
      let port: number;
      const before = await MustsLab.start({ dataDir });
      try {
        port = Number(new URL(before.issuer).port);
        tokens = await before.fapiTokens({ scope: 'openid' });
        const known = await before.resource('/userinfo', tokens.access_token, tokens.dpopKey);
        expect(known.status, known.text).toBe(200);
      } finally {
        await before.close();
      }
      // Same data directory and port: the same issuer and signing keys, without alice.
      const after = await MustsLab.start({ dataDir, port, withoutUsers: ['alice'] });
      try {
        const response = await after.resource('/userinfo', tokens.access_token, tokens.dpopKey);
        expectOAuthError(response, 401, 'invalid_token');
        expect(response.json?.error_description).toMatch(/subject/);
        expect(response.json).not.toHaveProperty('sub');
      } finally {
        await after.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
