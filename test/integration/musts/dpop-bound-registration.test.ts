import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MustsLab, expectOAuthError } from '../../support/musts-helpers';

const BOUND = 'oidc-dpop-bound';
const BOUND_SECRET = 'oidc-dpop-bound-secret-0001';
const BOUND_REDIRECT = 'https://rp-bound.example.com/cb';
const PUBLIC_BOUND = 'oidc-dpop-bound-public';
const PUBLIC_REDIRECT = 'http://127.0.0.1/bound-spa';
const UNBOUND = 'oidc-not-dpop-bound';
const UNBOUND_SECRET = 'oidc-not-dpop-bound-secret-0001';

/**
 * RFC 9449 §5.2 (`dpop_bound_access_tokens`): a client registered with the flag must present a DPoP
 * proof at the token endpoint — whatever its profile. These clients are all `oidc`, so only the flag
 * (not the fapi2 profile) can make the proof required; a client without the flag is the control.
 */
describe('MUST: a client registered with dpop_bound_access_tokens must send a DPoP proof (oidc profile)', () => {
  let lab: MustsLab;

  beforeAll(async () => {
    lab = await MustsLab.start({
      extraClients: [
        {
          client_id: BOUND,
          client_secret: BOUND_SECRET,
          redirect_uris: [BOUND_REDIRECT],
          grant_types: ['authorization_code', 'client_credentials'],
          scope: 'openid accounts',
          token_endpoint_auth_method: 'client_secret_post',
          dpop_bound_access_tokens: true,
          profile: 'oidc',
        },
        {
          client_id: PUBLIC_BOUND,
          redirect_uris: [PUBLIC_REDIRECT],
          grant_types: ['authorization_code'],
          scope: 'openid',
          token_endpoint_auth_method: 'none',
          dpop_bound_access_tokens: true,
          profile: 'oidc',
        },
        {
          client_id: UNBOUND,
          client_secret: UNBOUND_SECRET,
          grant_types: ['client_credentials'],
          scope: 'accounts',
          token_endpoint_auth_method: 'client_secret_post',
          profile: 'oidc',
        },
      ],
    });
  });
  afterAll(() => lab?.close());

  const boundAuth = { client_id: BOUND, client_secret: BOUND_SECRET };

  /** PAR (no dpop_jkt, no DPoP header) → login → a code, and its PKCE verifier. */
  const codeFor = (clientId: string, redirectUri: string, auth: Record<string, string>) =>
    lab.parCode({ clientId, redirectUri, auth, scope: 'openid' });

  const redeem = (
    redirectUri: string,
    auth: Record<string, string>,
    code: { code: string; code_verifier: string },
    headers: Record<string, string> = {},
  ) =>
    lab.post(
      '/token',
      { grant_type: 'authorization_code', redirect_uri: redirectUri, ...code, ...auth },
      headers,
    );

  it('RFC 9449 §5.2: a confidential oidc client with the flag redeeming its code without a DPoP header gets 400 invalid_dpop_proof', async () => {
    const code = await codeFor(BOUND, BOUND_REDIRECT, boundAuth);
    expectOAuthError(await redeem(BOUND_REDIRECT, boundAuth, code), 400, 'invalid_dpop_proof');
    // With a proof, the same client's next code gives DPoP-bound tokens.
    const next = await codeFor(BOUND, BOUND_REDIRECT, boundAuth);
    const withProof = await redeem(BOUND_REDIRECT, boundAuth, next, {
      DPoP: await lab.proof(await lab.dpopKey(), 'POST', '/token'),
    });
    expect(withProof.status, withProof.text).toBe(200);
    expect(withProof.json?.token_type).toBe('DPoP');
  });

  it('RFC 9449 §5.2: a public oidc client with the flag redeeming its code without a DPoP header gets 400 invalid_dpop_proof', async () => {
    const auth = { client_id: PUBLIC_BOUND };
    const code = await codeFor(PUBLIC_BOUND, PUBLIC_REDIRECT, auth);
    expectOAuthError(await redeem(PUBLIC_REDIRECT, auth, code), 400, 'invalid_dpop_proof');
  });

  it('RFC 9449 §5.2: a confidential oidc client with the flag doing client_credentials without a proof gets 400 invalid_dpop_proof; with one, 200 token_type DPoP', async () => {
    const form = { grant_type: 'client_credentials', scope: 'accounts', ...boundAuth };
    expectOAuthError(await lab.post('/token', form), 400, 'invalid_dpop_proof');
    const withProof = await lab.post('/token', form, {
      DPoP: await lab.proof(await lab.dpopKey(), 'POST', '/token'),
    });
    expect(withProof.status, withProof.text).toBe(200);
    expect(withProof.json?.token_type).toBe('DPoP');
  });

  it('RFC 9449 §5.2 (control): the same kind of client without the flag gets a Bearer token without a proof', async () => {
    const response = await lab.post('/token', {
      grant_type: 'client_credentials',
      scope: 'accounts',
      client_id: UNBOUND,
      client_secret: UNBOUND_SECRET,
    });
    expect(response.status, response.text).toBe(200);
    expect(response.json?.token_type).toBe('Bearer');
  });
});
