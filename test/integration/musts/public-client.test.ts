import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MustsLab, expectOAuthError } from '../../support/musts-helpers';

const PUBLIC_CLIENT = 'public-spa';
const PUBLIC_REDIRECT = 'http://127.0.0.1/spa';

/** RFC 9449 §5 and §5.2: a public client's refresh tokens are bound to its DPoP key. */
describe('MUST: public clients and DPoP-bound refresh tokens', () => {
  let lab: MustsLab;

  beforeAll(async () => {
    lab = await MustsLab.start({
      extraClients: [
        {
          client_id: PUBLIC_CLIENT,
          client_name: 'Public single-page client',
          redirect_uris: [PUBLIC_REDIRECT],
          grant_types: ['authorization_code', 'refresh_token'],
          scope: 'openid offline_access',
          token_endpoint_auth_method: 'none',
          dpop_bound_access_tokens: true,
          profile: 'oidc',
        },
      ],
    });
  });
  afterAll(() => lab?.close());

  async function publicTokens() {
    const dpopKey = await lab.dpopKey();
    const tokens = await lab.parCodeTokens({
      clientId: PUBLIC_CLIENT,
      redirectUri: PUBLIC_REDIRECT,
      // A public client: identified by client_id, authenticated by nothing (token_endpoint_auth_method none).
      auth: { client_id: PUBLIC_CLIENT },
      scope: 'openid offline_access',
      tokenHeaders: { DPoP: await lab.proof(dpopKey, 'POST', '/token') },
    });
    return { dpopKey, refresh_token: tokens.refresh_token as string };
  }

  it('the refresh token works with the same key, and is refused with another key', async () => {
    const { dpopKey, refresh_token } = await publicTokens();
    expect(refresh_token).toEqual(expect.any(String));
    const other = await lab.dpopKey();
    const wrong = await lab.post(
      '/token',
      { grant_type: 'refresh_token', client_id: PUBLIC_CLIENT, refresh_token },
      { DPoP: await lab.proof(other, 'POST', '/token') },
    );
    expect(wrong.status).toBe(400);
    expect(['invalid_grant', 'invalid_dpop_proof']).toContain(wrong.json?.error);
    const right = await lab.post(
      '/token',
      { grant_type: 'refresh_token', client_id: PUBLIC_CLIENT, refresh_token },
      { DPoP: await lab.proof(dpopKey, 'POST', '/token') },
    );
    expect(right.status, right.text).toBe(200);
  });

  it('without any proof, the refresh is refused', async () => {
    const { refresh_token } = await publicTokens();
    expectOAuthError(
      await lab.post('/token', { grant_type: 'refresh_token', client_id: PUBLIC_CLIENT, refresh_token }),
      400,
      'invalid_dpop_proof',
    );
  });
});
