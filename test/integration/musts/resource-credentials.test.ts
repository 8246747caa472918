import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MustsLab, expectOAuthError, parseChallenge, send } from '../../support/musts-helpers';

/**
 * How an access token is presented at userinfo and the demo API (RFC 6750 §2, §3.1; RFC 9449 §7.1):
 * one method only, well-formed, and no error code when the request carries no token at all.
 */
describe('MUST: presenting an access token at a protected resource', () => {
  let lab: MustsLab;
  let bearerToken: string;

  beforeAll(async () => {
    lab = await MustsLab.start();
    bearerToken = (await lab.standardTokens('openid')).access_token as string;
  });
  afterAll(() => lab?.close());

  const postForm = (path: string, body: string, headers: Record<string, string> = {}) =>
    send(lab.url(path), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });

  it('a Bearer token in the form body is accepted (RFC 6750 §2.2)', async () => {
    const response = await postForm(
      '/userinfo',
      new URLSearchParams({ access_token: bearerToken }).toString(),
    );
    expect(response.status, response.text).toBe(200);
    expect(response.json).toEqual({ sub: 'alice' });
  });

  describe('a request without authentication information: 401, the challenges, no error code (§3.1)', () => {
    for (const [path, headers] of [
      ['/userinfo', {}],
      ['/api/accounts', {}],
      ['/userinfo', { Authorization: 'Basic YTpi' }],
      ['/api/accounts', { Authorization: 'Basic YTpi' }],
    ] as const) {
      it(`GET ${path} ${Object.keys(headers).length > 0 ? 'with Basic credentials' : 'without credentials'}`, async () => {
        const response = await lab.get(path, headers);
        expect(response.status).toBe(401);
        const header = response.headers.get('www-authenticate') ?? '';
        expect(header).toMatch(/^DPoP algs="[^"]+", Bearer$/);
        expect(header).not.toContain('error');
      });
    }
  });

  it('a token in the header and in the body at once: 400 invalid_request (§2: one method only)', async () => {
    const body = new URLSearchParams({ access_token: bearerToken }).toString();
    const response = await postForm('/userinfo', body, { Authorization: `Bearer ${bearerToken}` });
    expectOAuthError(response, 400, 'invalid_request');
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_request"');
  });

  it('a repeated or empty access_token parameter: 400 invalid_request (§3.1)', async () => {
    const twice = `access_token=${bearerToken}&access_token=${bearerToken}`;
    expectOAuthError(await postForm('/userinfo', twice), 400, 'invalid_request');
    expectOAuthError(await postForm('/userinfo', 'access_token='), 400, 'invalid_request');
  });

  it('a malformed DPoP or Bearer Authorization header: 400 invalid_request with that scheme’s challenge', async () => {
    for (const path of ['/userinfo', '/api/accounts']) {
      const dpop = await lab.get(path, { Authorization: `DPoP ${bearerToken} junk` });
      expectOAuthError(dpop, 400, 'invalid_request');
      const challenge = parseChallenge(dpop.headers.get('www-authenticate'));
      expect(challenge.scheme).toBe('DPoP');
      expect(challenge.params.error).toBe('invalid_request');
      const bearer = await lab.get(path, { Authorization: 'Bearer' });
      expectOAuthError(bearer, 400, 'invalid_request');
      expect(bearer.headers.get('www-authenticate')).toBe('Bearer error="invalid_request"');
    }
  });
});
