import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MustsLab, expectOAuthError, send } from '../../support/musts-helpers';

/**
 * RFC 9110 §15.5.6: a method an endpoint does not serve is 405 (not 404), and the answer's Allow
 * names the methods it serves. JSON for the endpoints clients call, an error page for browser pages.
 */
describe('MUST: 405 with Allow for a method an endpoint does not serve', () => {
  let lab: MustsLab;

  beforeAll(async () => {
    lab = await MustsLab.start();
  });
  afterAll(() => lab?.close());

  const answer = (method: string, path: string) => send(lab.url(path), { method });

  for (const [method, path, allow] of [
    ['POST', '/.well-known/openid-configuration', 'GET, HEAD'],
    ['DELETE', '/.well-known/oauth-authorization-server', 'GET, HEAD'],
    ['PUT', '/jwks', 'GET, HEAD'],
    ['DELETE', '/userinfo', 'GET, HEAD, POST'],
    ['PUT', '/api/accounts', 'GET, HEAD'],
    ['POST', '/api/accounts/acc-1', 'GET, HEAD'],
    ['GET', '/token', 'POST'],
  ] as const) {
    it(`${method} ${path}: 405 invalid_request, Allow: ${allow}`, async () => {
      const response = await answer(method, path);
      expectOAuthError(response, 405, 'invalid_request');
      expect(response.headers.get('allow')).toBe(allow);
    });
  }

  for (const [method, path, allow] of [
    ['PUT', '/authorize', 'GET, POST'],
    ['DELETE', '/end_session', 'GET, HEAD, POST'],
    ['GET', '/end_session/confirm', 'POST'],
    ['POST', '/interaction/unknown', 'GET'],
    ['GET', '/interaction/unknown/login', 'POST'],
    ['GET', '/interaction/unknown/consent', 'POST'],
  ] as const) {
    it(`${method} ${path}: a 405 error page, Allow: ${allow}`, async () => {
      const response = await answer(method, path);
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe(allow);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      expect(response.text).toContain('<code>invalid_request</code>');
    });
  }

  // RFC 9110 §9.2.1: HEAD is safe, and answering it like GET would run the authorization.
  for (const [path, allow] of [
    ['/authorize?client_id=demo-standard&response_type=code', 'GET, POST'],
    ['/interaction/unknown', 'GET'],
  ] as const) {
    it(`HEAD ${path}: 405, Allow: ${allow}, no redirect`, async () => {
      const response = await answer('HEAD', path);
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe(allow);
      expect(response.headers.get('location')).toBeNull();
      expect(response.text).toBe('');
    });
  }

  it('an unknown path is still 404', async () => {
    expect((await answer('GET', '/no-such-endpoint')).status).toBe(404);
    expect((await answer('GET', '/api/unknown')).status).toBe(404);
  });
});
