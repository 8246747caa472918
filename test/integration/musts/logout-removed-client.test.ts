import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MustsLab, expectErrorPage, send } from '../../support/musts-helpers';

const RETIRED = {
  client_id: 'retired-rp',
  client_secret: 'retired-rp-secret-0000001',
  redirect_uris: ['https://retired.example.com/cb'],
  post_logout_redirect_uris: ['https://retired.example.com/bye'],
  scope: 'openid',
  token_endpoint_auth_method: 'client_secret_post',
  profile: 'oidc',
};

/**
 * RP-Initiated Logout 1.0 §2: the id_token_hint tells the OP which RP asks. One whose audience is a
 * client the provider no longer has (it restarted without it) names no RP it can act for: refused
 * with an error page that says so.
 */
describe('MUST: RP-initiated logout with the ID token of a client removed since', () => {
  it('an error page, never the logout confirmation nor a redirect', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trusty-lab-musts-'));
    try {
      let idToken: string;
      let port: number;
      const before = await MustsLab.start({ dataDir, extraClients: [RETIRED] });
      try {
        port = Number(new URL(before.issuer).port);
        const tokens = await before.parCodeTokens({
          clientId: RETIRED.client_id,
          redirectUri: RETIRED.redirect_uris[0] as string,
          auth: { client_id: RETIRED.client_id, client_secret: RETIRED.client_secret },
          scope: 'openid',
        });
        idToken = tokens.id_token as string;
        // While the client is there, its hint is taken: the logout confirmation page.
        const accepted = await send(before.endSessionUrl({ id_token_hint: idToken }));
        expect(accepted.status, accepted.text.slice(0, 200)).toBe(200);
      } finally {
        await before.close();
      }
      // Same data directory and port: the same issuer and signing keys, without the client.
      const after = await MustsLab.start({ dataDir, port });
      try {
        const hinted: Record<string, string>[] = [
          { id_token_hint: idToken },
          {
            id_token_hint: idToken,
            post_logout_redirect_uri: RETIRED.post_logout_redirect_uris[0] as string,
          },
        ];
        for (const params of hinted) {
          const refused = await send(after.endSessionUrl(params));
          expectErrorPage(refused, 'invalid_request');
          expect(refused.text).toContain('a client this provider no longer has');
        }
      } finally {
        await after.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
