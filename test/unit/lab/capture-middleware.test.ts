import express from 'express';
import { request } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { skipCheck, verify, verifyWork, witnessSignature } from '../../../src/server/domain/check';
import { invalidDpopProof, invalidRequest } from '../../../src/server/domain/oauth-error';
import { keepRawBody } from '../../../src/server/http/raw-body';
import type { Exchange } from '../../../src/common/lab-events';
import { createCaptureMiddleware, type CaptureOptions } from '../../../src/server/lab/capture-middleware';
import { MAX_CAPTURED_BODY, TRUNCATION_MARKER } from '../../../src/server/lab/capture-response';
import { REDACTED } from '../../../src/server/lab/redact-user-secrets';
import { listen } from './helpers';

const htu = { id: 'dpop.htu', description: 'htu matches the request URI', ref: 'RFC 9449 §4.3 (9)' };
const grant = { id: 'token.grant_type', description: 'grant_type is supported', ref: 'RFC 6749 §5.2' };
const nonce = { id: 'dpop.nonce', description: 'nonce matches', ref: 'RFC 9449 §4.3 (10)' };

/** Long enough for res.send to write it as bytes (1,000 characters or more). */
const SENT_AS_BYTES = 'ünïcödé ✓ '.repeat(120);

/** The capture as these tests run it: a fixed clock, one recording, exchanges into `published`. */
const capturing = (published: Exchange[], options: Partial<CaptureOptions> = {}) =>
  createCaptureMiddleware({
    clock: { now: () => 1_700_000_000_000 },
    capture: true,
    recordingId: () => 'recording-1',
    publish: (e) => published.push(e),
    ...options,
  });

function providerApp(capture: boolean, published: Exchange[]) {
  const app = express();
  app.use(capturing(published, { capture }));
  app.use(express.urlencoded({ extended: false, verify: keepRawBody }));
  app.use(express.json({ verify: keepRawBody }));
  app.post('/token', async (req, res) => {
    try {
      verify(grant, req.body.grant_type === 'authorization_code', () => invalidRequest('bad grant'));
      skipCheck(nonce, 'no nonce issued');
      await new Promise((r) => setTimeout(r, 5)); // checks after an async gap still land on this request
      verifyWork(htu, () => {
        if (req.get('dpop') !== 'good') throw invalidDpopProof('htu does not match');
      });
      res.json({ access_token: 'at', token_type: 'DPoP' });
    } catch (e) {
      const error = e as { status: number; error: string };
      res.status(error.status).json({ error: error.error });
    }
  });
  app.get('/big', (_req, res) => {
    res.type('text/plain');
    res.write('x'.repeat(MAX_CAPTURED_BODY));
    res.end('tail');
  });
  app.get('/chunks', (_req, res) => {
    res.type('text/plain; charset=utf-8');
    res.write('héllo ');
    res.write(Buffer.from('wörld '));
    res.write('caf\u00e9', 'latin1');
    res.end(' ✓');
  });
  app.get('/split', (_req, res) => {
    res.type('text/plain; charset=utf-8');
    const bytes = Buffer.from('é!');
    res.write(bytes.subarray(0, 1)); // the first byte of é alone
    res.end(bytes.subarray(1));
  });
  // res.send turns a string of 1,000 characters or more into bytes before writing it.
  app.get('/sent', (_req, res) => res.type('text/plain; charset=utf-8').send(SENT_AS_BYTES));
  app.get('/hang', () => undefined); // never answers
  app.get('/close-twice', (_req, res) => {
    res.once('finish', () => setTimeout(() => res.emit('close'), 5)); // a second 'close', by hand
    res.json({ ok: true });
  });
  app.get('/api/accounts', (_req, res) => res.json({ accounts: [] }));
  app.get('/cookies', (_req, res) => {
    res.append('Set-Cookie', 'trusty_csrf=c1; Path=/');
    res.append('Set-Cookie', 'trusty_session=s3cr3t; Path=/; HttpOnly');
    res.setHeader('X-Count', 3);
    res.setHeader('Vary', ['Origin', 'Accept']);
    // A name an object would take for its prototype's: still a header of the exchange.
    res.setHeader('__proto__', 'a header by that name');
    res.end();
  });
  app.get('/authorize', (_req, res) => res.redirect(303, '/interaction/abc'));
  app.get('/interaction/abc', (_req, res) => res.type('html').send('<p>login</p>'));
  app.post('/par', (_req, res) =>
    res.status(201).json({ request_uri: 'urn:ietf:params:oauth:request_uri:r1', expires_in: 60 }),
  );
  return app;
}

const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('capture middleware', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function start(capture = true) {
    const published: Exchange[] = [];
    const server = await listen(providerApp(capture, published));
    close = server.close;
    return { published, base: `http://127.0.0.1:${server.port}` };
  }

  it('records the headers as sent: repeated values joined, numbers as text, the session cookie redacted', async () => {
    const { published, base } = await start();
    const res = await fetch(`${base}/cookies`, {
      headers: { cookie: 'trusty_csrf=c0; trusty_session=s3cr3t' },
    });
    expect(res.status).toBe(200);
    await waitFor(() => published.length === 1);
    const { requestHeaders, responseHeaders } = published[0]!;
    const redacted = encodeURIComponent(REDACTED);
    expect(requestHeaders.cookie).toBe(`trusty_csrf=c0; trusty_session=${redacted}`);
    expect(responseHeaders).toMatchObject({
      'set-cookie': `trusty_csrf=c1; Path=/\ntrusty_session=${redacted}; Path=/; HttpOnly`,
      'x-count': '3',
      vary: 'Origin, Accept',
    });
    expect(Object.getOwnPropertyDescriptor(responseHeaders, '__proto__')?.value).toBe(
      'a header by that name',
    );
    expect(Object.getPrototypeOf(responseHeaders)).toBe(Object.prototype);
    expect(JSON.stringify(published[0])).not.toContain('s3cr3t');
  });

  it('records request headers without a cookie as they came, repeated ones joined by Node', async () => {
    const { published, base } = await start();
    const headers = new Headers([
      ['x-one', 'a'],
      ['x-many', 'b'],
      ['x-many', 'c'],
    ]);
    await fetch(`${base}/api/accounts`, { headers });
    await waitFor(() => published.length === 1);
    const { requestHeaders, responseHeaders } = published[0]!;
    expect(requestHeaders).toMatchObject({ 'x-one': 'a', 'x-many': 'b, c' });
    expect(Object.values(requestHeaders).every((value) => typeof value === 'string')).toBe(true);
    expect(responseHeaders['content-type']).toBe('application/json; charset=utf-8');
    expect(Object.values(responseHeaders).every((value) => typeof value === 'string')).toBe(true);
  });

  it('records the request, response and every check of a request on one exchange', async () => {
    const { published, base } = await start();
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const spanId = 'b7ad6b7169203331';
    const res = await fetch(`${base}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        dpop: 'good',
        traceparent: `00-${traceId}-${spanId}-01`,
      },
      body: 'grant_type=authorization_code&code=c1',
    });
    expect(res.status).toBe(200);
    await waitFor(() => published.length === 1);
    const exchange = published[0]!;
    expect(exchange).toMatchObject({
      recordingId: 'recording-1',
      observer: 'server',
      traceId,
      spanId,
      from: 'client',
      to: 'authorization_server',
      label: 'token',
      method: 'POST',
      url: `${base}/token`,
      requestBody: 'grant_type=authorization_code&code=c1',
      status: 200,
      responseBody: '{"access_token":"at","token_type":"DPoP"}',
      startedAt: 1_700_000_000_000,
    });
    expect(exchange.requestHeaders.dpop).toBe('good');
    expect(exchange.transportError).toBeUndefined();
    expect(exchange.responseHeaders['content-type']).toContain('application/json');
    expect(exchange.checks.map((c) => [c.id, c.outcome])).toEqual([
      ['token.grant_type', 'passed'],
      ['dpop.nonce', 'skipped'],
      ['dpop.htu', 'passed'],
    ]);
  });

  it('a failed check carries its clause and the error returned', async () => {
    const { published, base } = await start();
    await fetch(`${base}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: 'bad' },
      body: 'grant_type=authorization_code',
    });
    await waitFor(() => published.length === 1);
    const failed = published[0]!.checks.find((c) => c.outcome === 'failed');
    expect(failed).toEqual({
      id: 'dpop.htu',
      description: 'htu matches the request URI',
      ref: 'RFC 9449 §4.3 (9)',
      outcome: 'failed',
      detail: 'htu does not match',
      error: { error: 'invalid_dpop_proof', error_description: 'htu does not match', status: 400 },
    });
    expect(published[0]!.status).toBe(400);
  });

  it('keeps the checks of concurrent requests apart', async () => {
    const { published, base } = await start();
    await Promise.all(
      ['good', 'bad', 'good', 'bad'].map((dpop) =>
        fetch(`${base}/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', dpop },
          body: 'grant_type=authorization_code',
        }),
      ),
    );
    await waitFor(() => published.length === 4);
    for (const e of published) {
      expect(e.checks).toHaveLength(3);
      expect(e.checks[2]!.outcome).toBe(e.status === 200 ? 'passed' : 'failed');
    }
  });

  it('mints a trace context when the request has none (or a malformed one)', async () => {
    const { published, base } = await start();
    await fetch(`${base}/api/accounts`, { headers: { traceparent: 'garbage' } });
    await waitFor(() => published.length === 1);
    const e = published[0]!;
    expect(e.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(e.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(e).toMatchObject({ to: 'resource_server', label: 'GET /api/accounts', from: 'client' });
  });

  it('keeps a browser that follows a redirect in the same trace, and names the browser as sender', async () => {
    const { published, base } = await start();
    await fetch(`${base}/authorize?client_id=x`, { headers: { accept: 'text/html' } });
    await waitFor(() => published.length === 2);
    const [authorize, interaction] = published;
    expect(authorize).toMatchObject({ label: 'authorize', from: 'browser', status: 303 });
    expect(interaction).toMatchObject({ from: 'browser', label: 'interaction' });
    expect(interaction!.traceId).toBe(authorize!.traceId);
    expect(interaction!.spanId).not.toBe(authorize!.spanId);
  });

  it('puts the browser presenting a request_uri in the trace of the PAR that returned it (RFC 9126 §2.2)', async () => {
    const { published, base } = await start();
    const traceId = '1234567890abcdef1234567890abcdef';
    await fetch(`${base}/par`, {
      method: 'POST',
      headers: { traceparent: `00-${traceId}-1234567890abcdef-01` },
    });
    await fetch(
      `${base}/authorize?client_id=c&request_uri=${encodeURIComponent('urn:ietf:params:oauth:request_uri:r1')}`,
    );
    await fetch(`${base}/authorize?client_id=c&request_uri=unknown`);
    await waitFor(() => published.filter((e) => e.label === 'authorize').length === 2);
    const [known, unknown] = published.filter((e) => e.label === 'authorize');
    expect(known!.traceId).toBe(traceId);
    expect(unknown!.traceId).not.toBe(traceId);
  });

  it('caps captured response bodies with a marker, without changing what the client receives', async () => {
    const { published, base } = await start();
    const res = await fetch(`${base}/big`);
    expect((await res.text()).length).toBe(MAX_CAPTURED_BODY + 4);
    await waitFor(() => published.length === 1);
    const body = published[0]!.responseBody!;
    expect(body.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(body.length).toBe(MAX_CAPTURED_BODY + TRUNCATION_MARKER.length);
  });

  it('keeps a body written in pieces of every kind (UTF-8 strings, Buffers, another encoding)', async () => {
    const { published, base } = await start();
    const res = await fetch(`${base}/chunks`);
    const received = Buffer.from(await res.arrayBuffer());
    await waitFor(() => published.length === 1);
    expect(published[0]!.responseBody).toBe(received.toString('utf8'));
    expect(published[0]!.responseBody).toBe('héllo wörld caf\ufffd ✓');
  });

  it('decodes a character split between two writes whole, and what res.send writes as bytes', async () => {
    const { published, base } = await start();
    expect(await (await fetch(`${base}/split`)).text()).toBe('é!');
    expect(await (await fetch(`${base}/sent`)).text()).toBe(SENT_AS_BYTES);
    await waitFor(() => published.length === 2);
    expect(published.map((e) => e.responseBody)).toEqual(['é!', SENT_AS_BYTES]);
  });

  it('records an exchange once, however many times its response emits close', async () => {
    const { published, base } = await start();
    expect((await fetch(`${base}/close-twice`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(published.map((e) => e.url)).toEqual([`${base}/close-twice`]);
  });

  it('records a request whose connection closed before any response', async () => {
    const { published, base } = await start();
    const aborted = new AbortController();
    const pending = fetch(`${base}/hang`, { signal: aborted.signal }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    aborted.abort();
    await pending;
    await waitFor(() => published.length === 1);
    expect(published[0]).toMatchObject({
      label: 'GET /hang',
      status: null,
      transportError: expect.any(String),
    });
  });

  it('records nothing when capture is off', async () => {
    const { published, base } = await start(false);
    const res = await fetch(`${base}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: 'good' },
      body: 'grant_type=authorization_code',
    });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 30));
    expect(published).toEqual([]);
  });

  it('an exchange that cannot be published is dropped and reported; the provider keeps serving', async () => {
    const published: Exchange[] = [];
    const errors: unknown[] = [];
    let calls = 0;
    const app = express();
    app.use(
      capturing(published, {
        publish: (e) => {
          // The first one fails as a full disk would under the recordings.
          if (++calls === 1) throw new Error('database or disk is full');
          published.push(e);
        },
        onPublishError: (e) => errors.push(e),
      }),
    );
    app.get('/api/accounts', (_req, res) => res.json({ accounts: [] }));
    const server = await listen(app);
    close = server.close;
    const base = `http://127.0.0.1:${server.port}`;

    expect((await fetch(`${base}/api/accounts`)).status).toBe(200);
    await waitFor(() => errors.length === 1);
    expect((await fetch(`${base}/api/accounts`)).status).toBe(200);
    await waitFor(() => published.length === 1);

    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('database or disk is full');
    expect(published).toHaveLength(1);
    expect(published[0]!.status).toBe(200);
  });
});

describe('signatures the provider verified, for an open lab UI', () => {
  /** A provider route that verified one JWS (witnessSignature), its key named lazily. */
  async function witnessed(watching: boolean) {
    const told: [string, string][] = [];
    let named = 0;
    const app = express();
    app.use(
      capturing([], {
        signatures: { watching: () => watching, witness: (jws, key) => void told.push([jws, key]) },
      }),
    );
    app.get('/verify', (_req, res) => {
      witnessSignature('aaa.bbb.ccc', () => {
        named += 1;
        return 'server kid k1';
      });
      res.json({ ok: true });
    });
    const server = await listen(app);
    try {
      expect((await fetch(`http://127.0.0.1:${server.port}/verify`)).status).toBe(200);
    } finally {
      await server.close();
    }
    return { told, named };
  }

  it('are passed on while someone watches the live events', async () => {
    expect(await witnessed(true)).toEqual({ told: [['aaa.bbb.ccc', 'server kid k1']], named: 1 });
  });

  it('cost nothing otherwise: not passed on, their key not even named', async () => {
    expect(await witnessed(false)).toEqual({ told: [], named: 0 });
    // Outside any request (no capture), a witness goes nowhere.
    expect(() => witnessSignature('aaa.bbb.ccc', () => 'k')).not.toThrow();
  });
});

describe('what the capture keeps of a request once its exchange is built', () => {
  /** V8's gc(), without starting the test runner with --expose-gc: it is given to new contexts. */
  const collectGarbage = (): void => {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  };

  it('nothing, even through an async resource that outlives the request', async () => {
    const published: Exchange[] = [];
    const handled: WeakRef<object>[] = [];
    // Made while the request is handled, so Node gives it the request's AsyncLocalStorage store (the
    // check observer), as it gives it the connection's keep-alive Timeout.
    const outliving: Promise<never>[] = [];
    const app = express();
    app.use(capturing(published));
    app.get('/outlive', (req, res) => {
      handled.push(new WeakRef(req), new WeakRef(res));
      outliving.push(new Promise<never>(() => undefined));
      skipCheck(nonce, 'no nonce issued');
      res.json({ ok: true });
    });
    const server = await listen(app);
    try {
      // Without keep-alive: the connection is closed after the response, so no parser holds the request.
      const status = await new Promise<number | undefined>((resolve, reject) => {
        request({ port: server.port, host: '127.0.0.1', path: '/outlive', agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        })
          .on('error', reject)
          .end();
      });
      expect(status).toBe(200);
      await waitFor(() => published.length === 1);
      expect(published[0]?.checks.map((c) => c.id)).toEqual(['dpop.nonce']);
      await new Promise((r) => setTimeout(r, 20));
      collectGarbage();
      expect(outliving).toHaveLength(1);
      expect(handled.map((ref) => ref.deref())).toEqual([undefined, undefined]);
    } finally {
      await server.close();
    }
  });
});
