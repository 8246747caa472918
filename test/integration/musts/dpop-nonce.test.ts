import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MustsLab, expectOAuthError, parseChallenge } from '../../support/musts-helpers';

/** RFC 9449 §8, §9: with server.dpop_nonce_required, proofs must carry a nonce the server gave. */
describe('MUST: DPoP server nonces (dpop_nonce_required)', () => {
  let lab: MustsLab;

  beforeAll(async () => {
    lab = await MustsLab.start({ settings: { dpop_nonce_required: true } });
  });
  afterAll(() => lab?.close());

  const tokenRequest = async (dpop: string) =>
    lab.post(
      '/token',
      { grant_type: 'client_credentials', scope: 'accounts', ...(await lab.clientAuth()) },
      { DPoP: dpop },
    );

  it('a proof without nonce: 400 use_dpop_nonce with a DPoP-Nonce header; the retry with it works', async () => {
    const key = await lab.dpopKey();
    const first = await tokenRequest(await lab.proof(key, 'POST', '/token'));
    expectOAuthError(first, 400, 'use_dpop_nonce');
    const nonce = first.headers.get('dpop-nonce');
    expect(nonce).toMatch(/^[\x21\x23-\x5b\x5d-\x7e]+$/);
    const retry = await tokenRequest(await lab.proof(key, 'POST', '/token', { nonce: nonce as string }));
    expect(retry.status, retry.text).toBe(200);
    expect(retry.json?.token_type).toBe('DPoP');
  });

  it('a nonce the server never issued is refused with a fresh nonce', async () => {
    const key = await lab.dpopKey();
    const response = await tokenRequest(
      await lab.proof(key, 'POST', '/token', { nonce: 'made-up-by-the-client' }),
    );
    expect(response.status).toBe(400);
    expect(['use_dpop_nonce', 'invalid_dpop_proof']).toContain(response.json?.error);
    if (response.json?.error === 'use_dpop_nonce') expect(response.headers.get('dpop-nonce')).toBeTruthy();
  });

  it('at the resource: 401 with WWW-Authenticate DPoP error="use_dpop_nonce" and DPoP-Nonce, then the retry works', async () => {
    const key = await lab.dpopKey();
    const first = await tokenRequest(await lab.proof(key, 'POST', '/token'));
    const tokenNonce = first.headers.get('dpop-nonce') as string;
    const issued = await tokenRequest(await lab.proof(key, 'POST', '/token', { nonce: tokenNonce }));
    const accessToken = issued.json?.access_token as string;
    expect(accessToken).toBeTruthy();

    const withoutNonce = await lab.resource('/api/accounts', accessToken, key);
    expect(withoutNonce.status).toBe(401);
    const challenge = parseChallenge(withoutNonce.headers.get('www-authenticate'));
    expect(challenge.scheme).toBe('DPoP');
    expect(challenge.params.error).toBe('use_dpop_nonce');
    const nonce = withoutNonce.headers.get('dpop-nonce');
    expect(nonce).toBeTruthy();
    const retry = await lab.resource('/api/accounts', accessToken, key, { nonce: nonce as string });
    expect(retry.status, retry.text).toBe(200);
  });
});
