import { describe, expect, it } from 'vitest';
import { acrossRestart, expectErrorPage, send } from '../../support/musts-helpers';

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
    await acrossRestart(
      { extraClients: [RETIRED] },
      async (before) => {
        const tokens = await before.parCodeTokens({
          clientId: RETIRED.client_id,
          redirectUri: RETIRED.redirect_uris[0] as string,
          auth: { client_id: RETIRED.client_id, client_secret: RETIRED.client_secret },
          scope: 'openid',
        });
        const idToken = tokens.id_token as string;
        // While the client is there, its hint is taken: the logout confirmation page.
        const accepted = await send(before.endSessionUrl({ id_token_hint: idToken }));
        expect(accepted.status, accepted.text.slice(0, 200)).toBe(200);
        return idToken;
      },
      // The same issuer and signing keys, without the client.
      {},
      async (after, idToken) => {
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
      },
    );
  });
});
