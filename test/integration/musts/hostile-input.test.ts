import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  MustsBrowser,
  MustsLab,
  expectErrorPage,
  expectOAuthError,
  send,
  type LabResponse,
} from '../../support/musts-helpers';

/**
 * Hostile input (DESIGN.md, "Every bad input gets a clear OAuth error and the server keeps serving"):
 * every response is a 4xx with an OAuth JSON error (or the error page on the front channel), never a
 * 5xx, and after each test a real token request still succeeds.
 */
describe('MUST: hostile input gets a 4xx OAuth error and the server keeps serving', () => {
  let lab: MustsLab;

  beforeAll(async () => {
    lab = await MustsLab.start();
  });
  afterAll(() => lab?.close());

  afterEach(async () => {
    // The server still serves: a complete, valid token request succeeds.
    const response = await lab.post(
      '/token',
      { grant_type: 'client_credentials', scope: 'accounts', ...(await lab.clientAuth()) },
      { DPoP: await lab.proof(await lab.dpopKey(), 'POST', '/token') },
    );
    expect(response.status, response.text).toBe(200);
  });

  const rawPost = (path: string, body: string | Uint8Array<ArrayBuffer>, contentType: string) =>
    send(lab.url(path), { method: 'POST', headers: { 'Content-Type': contentType }, body });

  /** A 4xx whose body is an OAuth error object (RFC 6749 §5.2). */
  function expectJson4xx(response: LabResponse): void {
    expect(response.status, response.text).toBeGreaterThanOrEqual(400);
    expect(response.status, response.text).toBeLessThan(500);
    expect(typeof response.json?.error, response.text).toBe('string');
    expect(response.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|Error: /);
  }

  const formEndpoints = ['/token', '/par', '/introspect', '/revoke'];

  it('a 100 KB parameter in a form body: 4xx OAuth error at every endpoint', async () => {
    const huge = 'A'.repeat(100 * 1024);
    for (const path of formEndpoints) {
      const response = await rawPost(
        path,
        `grant_type=client_credentials&token=${huge}&scope=${huge}`,
        'application/x-www-form-urlencoded',
      );
      expectJson4xx(response);
    }
  });

  it('a 100 KB parameter in the query of /authorize: 4xx, no redirect', async () => {
    const response = await send(lab.url(`/authorize?client_id=${'A'.repeat(100 * 1024)}`));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.location).toBeUndefined();
  });

  it('invalid UTF-8 percent-encoding in a form body: 4xx OAuth error', async () => {
    for (const path of formEndpoints) {
      for (const body of [
        'grant_type=%FF%FE',
        'token=%E0%A4%A',
        'grant_type=%',
        'client_id=%C0%AF&token=x',
      ]) {
        const response = await rawPost(path, body, 'application/x-www-form-urlencoded');
        expectJson4xx(response);
      }
    }
  });

  it('raw invalid UTF-8 bytes in a form body: 4xx OAuth error', async () => {
    const body = new Uint8Array([...new TextEncoder().encode('grant_type='), 0xff, 0xfe, 0xc3]);
    for (const path of formEndpoints)
      expectJson4xx(await rawPost(path, body, 'application/x-www-form-urlencoded'));
  });

  it('invalid percent-encoding in the /authorize query: an error page, no redirect', async () => {
    for (const query of [
      'client_id=%FF%FE',
      'client_id=%',
      'client_id=third-party-fapi&request_uri=%E0%A4%A',
    ]) {
      const response = await send(lab.url(`/authorize?${query}`));
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.location).toBeUndefined();
    }
  });

  it('a JSON body: invalid_request at every form endpoint', async () => {
    for (const path of formEndpoints) {
      const response = await rawPost(
        path,
        JSON.stringify({ grant_type: 'client_credentials', token: 'x' }),
        'application/json',
      );
      expectOAuthError(response, 400, 'invalid_request');
    }
  });

  it('a malformed JSON body or a wrong content type: 4xx OAuth error', async () => {
    for (const path of formEndpoints) {
      expectJson4xx(await rawPost(path, '{"grant_type":', 'application/json'));
      expectJson4xx(await rawPost(path, 'grant_type=client_credentials', 'text/plain'));
      expectJson4xx(
        await rawPost(
          path,
          '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--',
          'multipart/form-data; boundary=x',
        ),
      );
      expectJson4xx(await send(lab.url(path), { method: 'POST', body: 'grant_type=client_credentials' }));
      expectJson4xx(
        await rawPost(
          path,
          'grant_type=client_credentials',
          'application/x-www-form-urlencoded; charset=koi8-r',
        ),
      );
    }
  });

  it('repeated parameters: invalid_request at the token endpoint and PAR', async () => {
    const auth = new URLSearchParams(await lab.clientAuth()).toString();
    const token = await send(lab.url('/token'), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        DPoP: await lab.proof(await lab.dpopKey(), 'POST', '/token'),
      },
      body: `grant_type=client_credentials&grant_type=client_credentials&${auth}`,
    });
    expectOAuthError(token, 400, 'invalid_request');
    const { params } = await lab.fapiParams();
    const parBody = new URLSearchParams({ ...params, ...(await lab.clientAuth()) });
    parBody.append('scope', 'openid');
    const par = await rawPost('/par', parBody.toString(), 'application/x-www-form-urlencoded');
    expectOAuthError(par, 400, 'invalid_request');
    // A repeated client_assertion is refused too, whichever error it is classified as.
    const twice = await rawPost(
      '/introspect',
      `token=x&${auth}&${auth}`,
      'application/x-www-form-urlencoded',
    );
    expectJson4xx(twice);
  });

  it('repeated parameters at /authorize: an error page, no redirect', async () => {
    const { params } = await lab.fapiParams();
    const pushed = await lab.par(params);
    const requestUri = encodeURIComponent(pushed.json?.request_uri as string);
    const response = await send(
      lab.url(
        `/authorize?client_id=${lab.fapi.clientId}&client_id=${lab.fapi.clientId}&request_uri=${requestUri}`,
      ),
    );
    expectErrorPage(response, 'invalid_request');
    const twiceUri = await send(
      lab.url(
        `/authorize?client_id=${lab.fapi.clientId}&request_uri=${requestUri}&request_uri=${requestUri}`,
      ),
    );
    expectErrorPage(twiceUri, 'invalid_request');
  });

  it('bracketed parameter names are not parsed into objects', async () => {
    const response = await rawPost(
      '/token',
      'grant_type[a]=b&client_id[$ne]=x',
      'application/x-www-form-urlencoded',
    );
    expectJson4xx(response);
  });

  it('malformed access tokens at the resources: 401, never 5xx', async () => {
    const key = await lab.dpopKey();
    for (const path of ['/userinfo', '/api/accounts']) {
      for (const token of [
        'x',
        'a.b.c',
        'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
        '.....',
        'ey'.repeat(2000),
      ]) {
        const proof = await lab.proof(key, 'GET', path, { accessToken: token });
        for (const authorization of [
          `DPoP ${token}`,
          `Bearer ${token}`,
          'DPoP',
          'Basic Zm9vOmJhcg==',
          `DPoP ${token} extra`,
        ]) {
          const response = await lab.get(path, { Authorization: authorization, DPoP: proof });
          expect(response.status, `${path} ${authorization.slice(0, 30)}`).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
        }
      }
    }
  });

  it('malformed tokens at introspection and revocation: active false / 200', async () => {
    for (const token of ['x', 'a.b.c', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', '%00', '\u0000']) {
      expect(await lab.introspect(token)).toEqual({ active: false });
      const revoked = await lab.post('/revoke', { token, ...(await lab.clientAuth()) });
      expect(revoked.status).toBe(200);
    }
  });

  it('malformed id_token_hint at end_session: an error page', async () => {
    for (const hint of ['x', 'a.b.c', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.']) {
      const response = await send(lab.url(`/end_session?${new URLSearchParams({ id_token_hint: hint })}`));
      expectErrorPage(response, 'invalid_request');
    }
  });

  it('a CSRF field as long as the cookie but in non-ASCII characters: the error page, not a 5xx', async () => {
    // The same number of characters, more bytes in UTF-8: a byte comparison must not throw.
    const lookalike = (token: string) => 'é'.repeat(token.length);
    const csrfOf = (page: LabResponse) => /name="csrf_token" value="([^"]+)"/.exec(page.text)?.[1] ?? '';

    const { params } = await lab.fapiParams();
    const pushed = await lab.par(params);
    expect(pushed.status, pushed.text).toBe(201);
    const browser = new MustsBrowser();
    const login = await browser.follow(
      await browser.get(lab.authorizeUrl(pushed.json?.request_uri as string)),
      lab.issuer,
    );
    expect(login.text).toContain('name="password"');
    const token = csrfOf(login);
    expect(token).not.toBe('');
    const refused = await browser.submit(login, {
      username: 'alice',
      password: 'wonderland',
      csrf_token: lookalike(token),
    });
    expectErrorPage(refused, 'invalid_request');

    const confirm = await send(lab.url('/end_session/confirm'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `trusty_csrf=${token}` },
      body: new URLSearchParams({ csrf_token: lookalike(token), decision: 'logout' }).toString(),
    });
    expectErrorPage(confirm, 'invalid_request');
  });

  /** Writes `request` as is on a new connection; the status code and body of what comes back. */
  const rawExchange = (request: string) =>
    new Promise<{ status: number; contentType: string; body: string }>((resolve, reject) => {
      const { hostname, port } = new URL(lab.url('/'));
      const socket = connect(Number(port), hostname, () => socket.end(request));
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('error', reject);
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const [head = '', body = ''] = text.split('\r\n\r\n');
        resolve({
          status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0),
          contentType: /^content-type: *(.*)$/im.exec(head)?.[1] ?? '',
          body,
        });
      });
    });

  it('what Node answers before the app sees the request: an OAuth error too (431, 400, 417, 501)', async () => {
    const host = new URL(lab.url('/')).host;
    for (const [request, status] of [
      // Headers over Node's 16 KB limit.
      [`GET /jwks HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
      ['NOT A REQUEST LINE\r\n\r\n', 400],
      // RFC 9110 §10.1.1: an expectation other than 100-continue.
      [`POST /token HTTP/1.1\r\nHost: ${host}\r\nExpect: 200-ok\r\nContent-Length: 0\r\n\r\n`, 417],
      // RFC 9110 §9.3.6: a tunnel, which a provider never opens.
      [`CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n`, 501],
    ] as const) {
      const response = await rawExchange(request);
      expect(response.status, request.slice(0, 40)).toBe(status);
      expect(response.contentType).toMatch(/^application\/json/);
      expect(JSON.parse(response.body)).toMatchObject({ error: 'invalid_request' });
    }
  });

  it('a HEAD request Node cannot parse: the same refusal without content (RFC 9110 §9.3.2)', async () => {
    const host = new URL(lab.url('/')).host;
    for (const [request, status] of [
      [`HEAD /jwks HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
      [`HEAD /jwks HTTP/1.1\r\nHost: ${host}\r\nnot a header line\r\n\r\n`, 400],
    ] as const) {
      const response = await rawExchange(request);
      expect(response.status, request.slice(0, 40)).toBe(status);
      expect(response.contentType).toMatch(/^application\/json/);
      expect(response.body).toBe('');
    }
  });

  it('unknown paths: a JSON 4xx; unserved methods: 405 (method-not-allowed.test.ts)', async () => {
    expectJson4xx(await lab.get('/nowhere'));
    const del = await send(lab.url('/token'), { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect((await send(lab.url('/authorize'), { method: 'PUT' })).status).toBe(405);
  });
});
