import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { labApiPaths, type LabSession } from '../../../src/common/lab-api';
import { labEventSchemas, type LabEvent } from '../../../src/common/lab-events';
import { verify } from '../../../src/server/domain/check';
import { invalidRequest } from '../../../src/server/domain/oauth-error';
import { createLab, createLabClock, type Lab, type LabOptions } from '../../../src/server/lab';
import { listen, makeExchange, openMemoryDb, rawRequest, type RawResponse } from './helpers';
import { buildLabContentSecurityPolicy } from '../../../src/main/content-security-policy';

const SECRET = 'per-launch-secret-0123456789';

interface Running {
  lab: Lab;
  port: number;
  rotateKeys: ReturnType<typeof vi.fn>;
  call(
    path: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<RawResponse>;
}

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.reverse()) await stop();
  stops = [];
});

async function start(
  options: {
    rendererDir?: string;
    sse?: { heartbeatMs?: number; maxBacklog?: number; maxStreams?: number };
    maxImportBytes?: number;
  } = {},
) {
  const base = 1_800_000_000_000;
  const clock = createLabClock({ now: () => base });
  const rotateKeys = vi.fn(async () => ['k2', 'k3']);
  const lab = createLab({
    db: openMemoryDb(),
    clock,
    logger: { info() {}, warn() {}, error() {} },
    secret: SECRET,
    capture: true,
    version: '1.2.3',
    sessionInfo: () => ({
      issuer: 'http://127.0.0.1:4000',
      labOrigin: 'http://127.0.0.1:4001',
      clients: [],
      users: [{ username: 'alice' }],
    }),
    resolveJwtKey: async () => undefined,
    rotateKeys,
    flushEveryMs: 5_000,
    ...options,
  });
  const server = await listen(lab.labApp);
  lab.setLabPort(server.port);
  stops.push(async () => {
    await server.close();
    await lab.close();
  });
  const running: Running = {
    lab,
    port: server.port,
    rotateKeys,
    call(path, init = {}) {
      const headers: Record<string, string> = {
        host: `127.0.0.1:${server.port}`,
        authorization: `Bearer ${SECRET}`,
        ...init.headers,
      };
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
        headers['content-type'] ??= 'application/json';
      }
      return rawRequest(server.port, path, { method: init.method ?? 'GET', headers, body });
    },
  };
  return running;
}

/**
 * Watches the lab's imports: the turn of the event loop (counted by a ticker) at which each slice was
 * appended, and how many imports were abandoned. `stop` ends the ticker.
 */
function watchImports(lab: Lab) {
  let turns = 0;
  let ticking = true;
  const tick = () => {
    turns += 1;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const watched = { appendedAtTurn: [] as number[], abandoned: 0, stop: () => (ticking = false) };
  const begin = lab.store.beginImport.bind(lab.store);
  vi.spyOn(lab.store, 'beginImport').mockImplementation((recording) => {
    const importing = begin(recording);
    return {
      append(events) {
        watched.appendedAtTurn.push(turns);
        importing.append(events);
      },
      finish: () => importing.finish(),
      abandon() {
        watched.abandoned += 1;
        importing.abandon();
      },
    };
  });
  return watched;
}

const waitFor = async (check: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
};

/** The demo client's view of a token request, as it reports it to the lab API. */
const clientReport = {
  traceId: 'f'.repeat(32),
  spanId: '1'.repeat(16),
  label: 'token',
  method: 'POST',
  url: 'http://127.0.0.1:4000/token',
  requestHeaders: { 'content-type': 'application/x-www-form-urlencoded' },
  requestBody: 'grant_type=authorization_code',
  status: 200,
  responseHeaders: {},
  responseBody: '{}',
  startedAt: 1,
  durationMs: 3,
};

/** A lab with nothing configured (no clients, no users, no issuer yet), capture on. */
const bareLab = (overrides: Partial<LabOptions> = {}): LabOptions => ({
  db: openMemoryDb(),
  clock: createLabClock({ now: () => 0 }),
  logger: { info() {}, warn() {}, error() {} },
  secret: SECRET,
  capture: true,
  version: '0',
  sessionInfo: () => ({ issuer: '', labOrigin: '', clients: [], users: [] }),
  resolveJwtKey: async () => undefined,
  rotateKeys: async () => [],
  ...overrides,
});

describe('lab API security', () => {
  it('refuses a call without the secret or with a wrong one (401), in constant-time comparison', async () => {
    const { call } = await start();
    const none = await call(labApiPaths.session, { headers: { authorization: '' } });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ error: 'unauthorized' });
    expect((await call(labApiPaths.session, { headers: { authorization: 'Bearer wrong' } })).status).toBe(
      401,
    );
    expect(
      (await call(labApiPaths.session, { headers: { authorization: `Bearer ${SECRET}x` } })).status,
    ).toBe(401);
    expect((await call(labApiPaths.session, { headers: { authorization: `Basic ${SECRET}` } })).status).toBe(
      401,
    );
    expect((await call(labApiPaths.session)).status).toBe(200);
  });

  it.each(['evil.example:80', 'attacker.test', '127.0.0.1:1', 'localhost'])(
    'refuses a foreign Host %s with 403 (DNS rebinding)',
    async (host) => {
      const { call } = await start();
      const res = await call(labApiPaths.session, { headers: { host } });
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body).error).toBe('forbidden_host');
    },
  );

  it('accepts each loopback name of its own port', async () => {
    const { call, port } = await start();
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await call(labApiPaths.session, { headers: { host } })).status).toBe(200);
    }
  });

  it('refuses requests from another origin, and never sends CORS headers', async () => {
    const { call, port } = await start();
    const cross = await call(labApiPaths.recordings, {
      method: 'POST',
      body: { name: 'x' },
      headers: { origin: 'http://evil.example' },
    });
    expect(cross.status).toBe(403);
    const responses = [
      cross,
      await call(labApiPaths.session, { headers: { origin: `http://127.0.0.1:${port}` } }),
      await call(labApiPaths.session, { method: 'OPTIONS', headers: { origin: 'http://evil.example' } }),
      await call(labApiPaths.session, { headers: { authorization: '' } }),
      await call('/lab/api/nothing'),
    ];
    for (const res of responses) {
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('sends security headers and JSON errors', async () => {
    const { call } = await start();
    const res = await call(labApiPaths.session);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers['cache-control']).toBe('no-store');
    // Not framed where CSP's frame-ancestors is not known, no Referer sent on, and not readable
    // through another origin's no-cors request.
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(res.headers['x-powered-by']).toBeUndefined();
    const bad = await call(labApiPaths.recordings, { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toBe('invalid_request');
    expect(bad.body).not.toContain('at ');
  });

  it('serves the lab UI with its CSP, and index.html for client routes and /callback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-ui-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>lab</title>');
    writeFileSync(join(dir, 'app.js'), 'console.log(1)');
    const { call } = await start({ rendererDir: dir });
    const page = await call('/callback?code=abc&state=s', {
      headers: { authorization: '', accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>lab</title>');
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain('connect-src ');
    expect(csp).toContain('http://127.0.0.1:4000');
    expect(csp).toContain("frame-ancestors 'none'");
    // One policy for both shells: the desktop window enforces exactly what web mode sends.
    expect(csp).toBe(
      buildLabContentSecurityPolicy({ labOrigin: 'http://127.0.0.1:1', issuer: 'http://127.0.0.1:4000' }),
    );
    expect((await call('/inspector/flows', { headers: { accept: 'text/html' } })).body).toContain(
      '<title>lab</title>',
    );
    expect((await call('/app.js')).body).toBe('console.log(1)');
    expect((await call('/callback', { headers: { host: 'evil.example' } })).status).toBe(403);
  });

  it('sends a page load under another loopback name to the lab origin, where the demo flows work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-ui-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>lab</title>');
    let port = 0;
    const lab = createLab(
      bareLab({
        rendererDir: dir,
        sessionInfo: () => ({
          issuer: 'http://127.0.0.1:4000',
          labOrigin: `http://127.0.0.1:${port}`,
          clients: [],
          users: [],
        }),
      }),
    );
    const server = await listen(lab.labApp);
    port = server.port;
    lab.setLabPort(port);
    stops.push(async () => {
      await server.close();
      await lab.close();
    });
    const load = (host: string, method = 'GET') =>
      rawRequest(port, '/inspector?x=1', { method, headers: { host, accept: 'text/html' } });

    const elsewhere = await load(`localhost:${port}`);
    expect(elsewhere.status).toBe(308);
    // The fragment (#secret=…) is the browser's: it keeps it across the redirect (RFC 9110 §10.2.2).
    expect(elsewhere.headers.location).toBe(`http://127.0.0.1:${port}/inspector?x=1`);
    expect((await load(`[::1]:${port}`)).status).toBe(308);
    expect((await load(`127.0.0.1:${port}`)).status).toBe(200);
    // Only page loads: the API answers on any of the lab's names, and other names are refused.
    expect((await load(`localhost:${port}`, 'POST')).status).toBe(404);
    expect((await load(`evil.example:${port}`)).status).toBe(403);
  });

  it('logs no error for a page whose client went away before it was sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-ui-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>lab</title>');
    const error = vi.fn();
    const lab = createLab(bareLab({ rendererDir: dir, logger: { info() {}, warn() {}, error } }));
    const server = await listen(lab.labApp);
    lab.setLabPort(server.port);
    stops.push(async () => {
      await server.close();
      await lab.close();
    });
    // The request, then the client's end of the connection closed (a FIN): Node aborts a request
    // still waiting for its answer, here the page file being read.
    const socket = connect(server.port, '127.0.0.1');
    socket.on('data', () => undefined);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.end(`GET /inspector HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAccept: text/html\r\n\r\n`);
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(error).not.toHaveBeenCalled();
  });
});

describe('lab API', () => {
  it('describes the session', async () => {
    const { call, lab } = await start();
    const session = JSON.parse((await call(labApiPaths.session)).body) as LabSession;
    expect(session).toMatchObject({
      version: '1.2.3',
      capture: true,
      issuer: 'http://127.0.0.1:4000',
      users: [{ username: 'alice' }],
      clock: { offsetMs: 0, now: 1_800_000_000_000 },
      currentRecordingId: lab.currentRecordingId(),
    });
  });

  it('advances and resets the lab clock, each change an event in the stream and the recording', async () => {
    const { call, lab } = await start();
    const events: LabEvent[] = [];
    lab.bus.subscribe((e) => events.push(e));
    const after = JSON.parse(
      (await call(labApiPaths.clock, { method: 'POST', body: { advanceSeconds: 61 } })).body,
    );
    expect(after).toEqual({ offsetMs: 61_000, now: 1_800_000_061_000 });
    await call(labApiPaths.clock, { method: 'POST', body: { advanceSeconds: 600 } });
    const reset = JSON.parse((await call(labApiPaths.clock, { method: 'POST', body: { reset: true } })).body);
    expect(reset.offsetMs).toBe(0);
    expect(JSON.parse((await call(labApiPaths.clock)).body)).toEqual({ offsetMs: 0, now: 1_800_000_000_000 });
    expect(events.map((e) => e.type === 'clock' && [e.reason, e.offsetMs])).toEqual([
      ['+61 s', 61_000],
      ['+10 min', 661_000],
      ['reset to real time', 0],
    ]);
    for (const bad of [{ advanceSeconds: -5 }, { advanceSeconds: 'x' }, {}, { reset: false }]) {
      expect((await call(labApiPaths.clock, { method: 'POST', body: bad })).status).toBe(400);
    }
    const list = JSON.parse((await call(labApiPaths.recordings)).body) as {
      id: string;
      eventCount: number;
    }[];
    expect(list.find((r) => r.id === lab.currentRecordingId())?.eventCount).toBe(3);
  });

  it('rotates keys and notes it in the timeline', async () => {
    const { call, lab, rotateKeys } = await start();
    const events: LabEvent[] = [];
    lab.bus.subscribe((e) => events.push(e));
    const res = await call(labApiPaths.rotateKeys, { method: 'POST' });
    expect(JSON.parse(res.body)).toEqual({ kids: ['k2', 'k3'] });
    expect(rotateKeys).toHaveBeenCalledOnce();
    expect(events).toEqual([
      expect.objectContaining({ type: 'note', text: expect.stringContaining('k2, k3') }),
    ]);
  });

  it('takes the demo client view of a request, validated', async () => {
    const { call, lab } = await start();
    const events: LabEvent[] = [];
    lab.bus.subscribe((e) => events.push(e));
    const report = clientReport;
    expect((await call(labApiPaths.clientExchanges, { method: 'POST', body: report })).status).toBe(204);
    expect(events[0]).toMatchObject({
      type: 'exchange',
      observer: 'client',
      from: 'client',
      traceId: report.traceId,
    });
    expect(labEventSchemas().labEvent.safeParse(events[0]).success).toBe(true);
    for (const bad of [
      { ...report, traceId: 'nope' },
      { ...report, url: 'not a url' },
      { ...report, status: 'x' },
      {},
    ]) {
      expect((await call(labApiPaths.clientExchanges, { method: 'POST', body: bad })).status).toBe(400);
    }
    expect(events).toHaveLength(1);
  });

  it('creates, lists, opens, renames, exports, imports and deletes recordings', async () => {
    const { call, lab } = await start();
    const created = JSON.parse(
      (await call(labApiPaths.recordings, { method: 'POST', body: { name: 'Flow A' } })).body,
    );
    expect(created).toMatchObject({ name: 'Flow A', eventCount: 0 });
    expect(lab.currentRecordingId()).toBe(created.id);
    lab.publish(makeExchange({ label: 'PAR' }));

    const list = JSON.parse((await call(labApiPaths.recordings)).body);
    expect(list.map((r: { name: string }) => r.name)).toContain('Flow A');

    const opened = labEventSchemas().recording.parse(
      JSON.parse((await call(labApiPaths.recording(created.id))).body),
    );
    expect(opened.events).toHaveLength(1);

    const renamed = await call(labApiPaths.recording(created.id), {
      method: 'PATCH',
      body: { name: 'Flow B' },
    });
    expect(JSON.parse(renamed.body).name).toBe('Flow B');

    for (const format of ['json', 'har', 'md']) {
      const res = await call(`${labApiPaths.recordingExport(created.id)}?format=${format}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="Flow-B\./);
    }
    expect((await call(`${labApiPaths.recordingExport(created.id)}?format=pdf`)).status).toBe(400);

    const exported = (await call(`${labApiPaths.recordingExport(created.id)}?format=json`)).body;
    const imported = await call(labApiPaths.recordingImport, { method: 'POST', body: exported });
    expect(imported.status).toBe(201);
    expect(JSON.parse(imported.body)).toMatchObject({ name: 'Flow B', eventCount: 1 });
    const wrongVersion = { ...JSON.parse(exported), schemaVersion: 99 };
    expect((await call(labApiPaths.recordingImport, { method: 'POST', body: wrongVersion })).status).toBe(
      400,
    );

    expect((await call(labApiPaths.recording(created.id), { method: 'DELETE' })).status).toBe(204);
    expect((await call(labApiPaths.recording(created.id))).status).toBe(404);
    // The current recording was deleted: a new one took its place.
    expect(lab.currentRecordingId()).not.toBe(created.id);
    expect(lab.store.find(lab.currentRecordingId())).toBeDefined();
  });

  it('reads see events published a moment ago (queued events are flushed first)', async () => {
    const { call, lab } = await start();
    lab.publish(makeExchange({ label: 'just now' }));
    const opened = labEventSchemas().recording.parse(
      JSON.parse((await call(labApiPaths.recording(lab.currentRecordingId()))).body),
    );
    expect(opened.events.map((e) => e.type === 'exchange' && e.label)).toEqual(['just now']);
  });

  it('flushes queued events on close', async () => {
    const { lab } = await start();
    const id = lab.currentRecordingId();
    lab.publish(makeExchange());
    lab.publish(makeExchange());
    await lab.close();
    expect(lab.store.summary(id)!.eventCount).toBe(2);
  });
});

/** Opens the SSE stream and collects `event: lab` frames. */
function openStream(port: number, path: string, headers: Record<string, string> = {}) {
  const frames: { id: string; data: LabEvent }[] = [];
  const comments: string[] = [];
  let buffer = '';
  let closed = false;
  const req = httpRequest({
    host: '127.0.0.1',
    port,
    path,
    headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${SECRET}`, ...headers },
  });
  const response = new Promise<{ status: number; type: string | undefined }>((resolve) => {
    req.on('response', (res) => {
      resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.startsWith(':')) comments.push(frame);
          const id = /^id: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (id && data) frames.push({ id, data: JSON.parse(data) as LabEvent });
        }
      });
      res.on('close', () => (closed = true));
    });
  });
  req.on('error', () => (closed = true));
  req.end();
  stops.push(async () => void req.destroy());
  return { frames, comments, response, isClosed: () => closed, destroy: () => req.destroy() };
}

describe('lab API event stream', () => {
  it('delivers published events, decoded and validated, with replay from ?since=', async () => {
    const { lab, port } = await start();
    const first = makeExchange({ label: 'PAR' });
    lab.publish(first);
    const stream = openStream(port, labApiPaths.events);
    expect(await stream.response).toMatchObject({
      status: 200,
      type: expect.stringContaining('text/event-stream'),
    });
    const jwt = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJib2IifQ.c2ln';
    const second = makeExchange({ label: 'token', requestHeaders: { authorization: `Bearer ${jwt}` } });
    lab.publish(second);
    await waitFor(() => stream.frames.length === 2);
    expect(stream.frames.map((f) => f.id)).toEqual([first.id, second.id]);
    const delivered = stream.frames[1]!.data;
    expect(delivered.type === 'exchange' && delivered.jwts[0]?.payload).toEqual({ sub: 'bob' });

    const replay = openStream(port, `${labApiPaths.events}?since=${encodeURIComponent(first.id)}`);
    await waitFor(() => replay.frames.length === 1);
    expect(replay.frames.map((f) => f.id)).toEqual([second.id]);
  });

  it('answers HEAD with the headers of the stream, and ends: the connection serves the next request', async () => {
    const { port } = await start();
    const head = (path: string) =>
      `${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${SECRET}\r\n\r\n`;
    // Two requests on one connection: the second is answered only once the first has ended.
    const answered = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(head(`HEAD ${labApiPaths.events}`) + head(`GET ${labApiPaths.clock}`)),
      );
      let text = '';
      const done = () => {
        clearTimeout(timer);
        socket.destroy();
        resolve(text);
      };
      const timer = setTimeout(done, 2_000);
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (text.includes('"offsetMs"')) done();
      });
      socket.on('error', reject);
    });
    const [first = '', second = ''] = answered.split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 200/);
    expect(first).toMatch(/content-type: text\/event-stream/i);
    expect(second).toMatch(/^HTTP\/1\.1 200/);
    expect(second).toContain('"offsetMs"');
  });

  it('needs the secret like every other call', async () => {
    const { port } = await start();
    const stream = openStream(port, labApiPaths.events, { authorization: '' });
    expect((await stream.response).status).toBe(401);
  });

  it('sends heartbeats', async () => {
    const { port } = await start({ sse: { heartbeatMs: 20 } });
    const stream = openStream(port, labApiPaths.events);
    await stream.response;
    await waitFor(() => stream.comments.some((c) => c.includes('heartbeat')));
    expect(stream.comments.some((c) => c.includes('heartbeat'))).toBe(true);
  });

  it('keeps at most maxStreams streams open (429 beyond), and takes another once one closes', async () => {
    const { port } = await start({ sse: { maxStreams: 2 } });
    const first = openStream(port, labApiPaths.events);
    const second = openStream(port, labApiPaths.events);
    expect((await first.response).status).toBe(200);
    expect((await second.response).status).toBe(200);
    expect((await openStream(port, labApiPaths.events).response).status).toBe(429);
    first.destroy();
    await waitFor(async () => (await openStream(port, labApiPaths.events).response).status === 200);
    expect((await openStream(port, labApiPaths.events).response).status).toBe(429);
  });

  it('drops a client whose backlog exceeds the cap instead of buffering forever', async () => {
    const { lab, port } = await start({ sse: { maxBacklog: 5 } });
    const stream = openStream(port, labApiPaths.events);
    await stream.response;
    // Published synchronously, faster than the stream drains (each event is decoded asynchronously).
    for (let i = 0; i < 50; i++) lab.publish(makeExchange());
    await waitFor(() => stream.isClosed());
    expect(stream.isClosed()).toBe(true);
    expect(stream.frames.length).toBeLessThan(50);
  });
});

describe('key rotation note', () => {
  it('is written once per rotation, asked through the lab API or by the lab itself', async () => {
    const { call, lab, rotateKeys } = await start();
    const events: LabEvent[] = [];
    lab.bus.subscribe((e) => events.push(e));
    await call(labApiPaths.rotateKeys, { method: 'POST' });
    expect(await lab.rotateKeys()).toEqual(['k2', 'k3']);
    expect(rotateKeys).toHaveBeenCalledTimes(2);
    expect(events.filter((e) => e.type === 'note')).toHaveLength(2);
  });
});

describe('lab origin before its port is known', () => {
  it('refuses every Host (fail closed) until setLabPort is called', async () => {
    const lab = createLab(bareLab({ capture: false }));
    const server = await listen(lab.labApp);
    stops.push(async () => {
      await server.close();
      await lab.close();
    });
    const headers = { host: `127.0.0.1:${server.port}`, authorization: `Bearer ${SECRET}` };
    expect((await rawRequest(server.port, labApiPaths.session, { headers })).status).toBe(403);
    lab.setLabPort(server.port);
    const session = await rawRequest(server.port, labApiPaths.session, { headers });
    expect(session.status).toBe(200);
    // The UI says so in the inspector (serve --no-capture).
    expect(JSON.parse(session.body)).toMatchObject({ capture: false });
  });
});

describe('lab API event stream validation', () => {
  it('does not send an event that fails the schema, and keeps streaming', async () => {
    const { lab, port } = await start();
    const stream = openStream(port, labApiPaths.events);
    await stream.response;
    const broken = { ...makeExchange(), traceId: 'not-hex' };
    const good = makeExchange();
    lab.publish(broken);
    lab.publish(good);
    await waitFor(() => stream.frames.length === 1);
    await new Promise((r) => setTimeout(r, 30));
    expect(stream.frames.map((f) => f.id)).toEqual([good.id]);
  });
});

describe('the capture, when the recordings cannot be written', () => {
  it('drops the exchange with a warning, and the provider keeps serving and capturing', async () => {
    const db = openMemoryDb();
    const warn = vi.fn();
    const lab = createLab(bareLab({ db, logger: { info() {}, warn, error() {} } }));
    const provider = express();
    provider.use(lab.captureMiddleware);
    const spec = { id: 'test.first_seen', description: 'a check the lab has not stored yet', ref: 'RFC 0' };
    provider.get('/checked', (_req, res) => {
      verify(spec, true, () => invalidRequest('never'));
      res.json({ ok: true });
    });
    provider.get('/plain', (_req, res) => res.json({ ok: true }));
    const server = await listen(provider);
    stops.push(async () => {
      await server.close();
      await lab.close();
    });
    // Storing a check seen for the first time writes its spec: make that write fail, as a full or
    // read-only disk would.
    db.exec('DROP TABLE lab_check_specs');

    const checked = await rawRequest(server.port, '/checked');
    expect(checked.status).toBe(200);
    await vi.waitFor(() => expect(warn).toHaveBeenCalledTimes(1));
    expect(warn.mock.calls[0]?.[0]).toBe('lab: an exchange could not be recorded and was dropped');
    expect(String(warn.mock.calls[0]?.[1]?.error)).toMatch(/lab_check_specs/);

    const plain = await rawRequest(server.port, '/plain');
    expect(plain.status).toBe(200);
    await vi.waitFor(() =>
      expect(lab.bus.since().map((e) => e.type === 'exchange' && e.url.endsWith('/plain'))).toContain(true),
    );
    expect(lab.bus.since().some((e) => e.type === 'exchange' && e.url.endsWith('/checked'))).toBe(false);
  });
});

describe('hostile input to the lab', () => {
  const b64 = (text: string) => Buffer.from(text).toString('base64url');
  /** 13 KB: a JWT's payload nested 5,000 levels deep, which JSON.stringify cannot write back. */
  const deepJwt = `${b64('{"alg":"none"}')}.${b64(`{"a":${'['.repeat(4999)}${']'.repeat(4999)}}`)}.`;

  it('streams, opens and exports an exchange carrying a JWT nested 5,000 levels deep, leaving it undecoded', async () => {
    const { lab, port, call } = await start();
    const stream = openStream(port, labApiPaths.events);
    await stream.response;
    const hostile = makeExchange({ requestHeaders: { authorization: `Bearer ${deepJwt}` } });
    const after = makeExchange({ label: 'after' });
    lab.publish(hostile);
    lab.publish(after);
    await waitFor(() => stream.frames.length === 2);
    expect(stream.frames.map((f) => f.id)).toEqual([hostile.id, after.id]);
    const sent = stream.frames[0]!.data;
    expect(sent.type === 'exchange' && sent.jwts).toEqual([]);

    const id = lab.currentRecordingId();
    expect((await call(labApiPaths.recording(id))).status).toBe(200);
    for (const format of ['json', 'har', 'md']) {
      expect((await call(`${labApiPaths.recordingExport(id)}?format=${format}`)).status).toBe(200);
    }
  });

  it('refuses (400) a recording to import whose decoded JWT is nested deeper than the lab shows', async () => {
    const { call } = await start();
    // Written as text: JSON.stringify cannot write a value this deep.
    const deepPayload = `{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const jwt = `{"location":"request.header.authorization","kind":"access_token","raw":"a.b.c","header":{"alg":"none"},"payload":${deepPayload},"signature":{"alg":"none","verified":null}}`;
    const exchange = JSON.stringify(makeExchange()).replace('"jwts":[]', `"jwts":[${jwt}]`);
    const body = `{"schemaVersion":1,"id":"r1","name":"deep","createdAt":0,"events":[${exchange}]}`;
    const before = JSON.parse((await call(labApiPaths.recordings)).body).length;

    const refused = await call(labApiPaths.recordingImport, { method: 'POST', body });
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body).error_description).toMatch(/nested more than 32 levels deep/);
    expect(JSON.parse((await call(labApiPaths.recordings)).body)).toHaveLength(before);
  });

  it('refuses (400) a recording to import whose event is not a lab event, naming it, and keeps nothing of it', async () => {
    const { call, lab } = await start();
    const imports = watchImports(lab);
    const names = async () =>
      (JSON.parse((await call(labApiPaths.recordings)).body) as { name: string }[]).map((r) => r.name);
    const before = await names();
    // The bad one after a whole slice of the store's (1,000 events), which is written before it is read.
    const notes = Array.from({ length: 1000 }, (_, i) => ({ type: 'note', id: `n${i}`, at: 0, text: 'x' }));
    const events = [...notes, makeExchange({ label: 'first' }), { type: 'note' }];
    const body = { schemaVersion: 1, id: 'r1', name: 'half good', createdAt: 0, events };

    const refused = await call(labApiPaths.recordingImport, { method: 'POST', body });
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toEqual({
      error: 'invalid_recording',
      error_description: expect.stringMatching(/^not a TRusTY Lab recording: [\s\S]*events\[1001\]\.id/),
    });
    expect(await names()).toEqual(before);
    // What its first slice wrote is removed, not only hidden.
    expect(imports).toMatchObject({ appendedAtTurn: [expect.any(Number)], abandoned: 1 });
    imports.stop();

    const accepted = await call(labApiPaths.recordingImport, {
      method: 'POST',
      body: { ...body, events: events.slice(0, -1) },
    });
    expect(accepted.status).toBe(201);
    expect(JSON.parse(accepted.body)).toMatchObject({ name: 'half good', eventCount: 1001 });
  });

  it('answers other requests while it imports: the event loop turns between two slices of 1,000 events', async () => {
    const { call, lab } = await start();
    const imports = watchImports(lab);
    const events = Array.from({ length: 3000 }, (_, i) => ({ type: 'note', id: `n${i}`, at: 0, text: 'x' }));
    const imported = await call(labApiPaths.recordingImport, {
      method: 'POST',
      body: { schemaVersion: 1, id: 'r1', name: 'long', createdAt: 0, events },
    });
    imports.stop();
    expect(imported.status).toBe(201);
    expect(JSON.parse(imported.body)).toMatchObject({ name: 'long', eventCount: 3000 });
    const [first, second, third] = imports.appendedAtTurn;
    expect(imports.appendedAtTurn).toHaveLength(3);
    expect(second).toBeGreaterThan(first!);
    expect(third).toBeGreaterThan(second!);
  });

  it('refuses (413) a recording to import longer than the lab reads, saying how long it may be', async () => {
    const { call } = await start({ maxImportBytes: 2048 });
    const recording = (text: string) => ({
      schemaVersion: 1,
      id: 'r1',
      name: 'long',
      createdAt: 0,
      events: [{ type: 'note', id: 'n1', at: 0, text }],
    });
    const refused = await call(labApiPaths.recordingImport, {
      method: 'POST',
      body: recording('x'.repeat(2048)),
    });
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.body)).toEqual({
      error: 'recording_too_large',
      error_description: 'this lab imports recordings of at most 2048 bytes (its memory allows no more)',
    });
    const list = JSON.parse((await call(labApiPaths.recordings)).body) as { name: string }[];
    expect(list.map((r) => r.name)).not.toContain('long');
    expect((await call(labApiPaths.recordingImport, { method: 'POST', body: recording('x') })).status).toBe(
      201,
    );
  });
});

describe('names and paths', () => {
  it('keeps a name holding a lone surrogate as one U+FFFD, as long as it was checked', async () => {
    const { call } = await start();
    const created = JSON.parse(
      (await call(labApiPaths.recordings, { method: 'POST', body: { name: `${'n'.repeat(198)}\ud800x` } }))
        .body,
    ) as { id: string; name: string };
    expect(created.name).toBe(`${'n'.repeat(198)}\ufffdx`);
    const renamed = await call(labApiPaths.recording(created.id), {
      method: 'PATCH',
      body: { name: 'a\udc00b' },
    });
    expect(JSON.parse(renamed.body).name).toBe('a\ufffdb');
    const listed = JSON.parse((await call(labApiPaths.recordings)).body) as { id: string; name: string }[];
    expect(listed.find((r) => r.id === created.id)?.name).toBe('a\ufffdb');
  });

  it('says a path that is not UTF-8 could not be decoded (400)', async () => {
    const { call } = await start();
    const answer = await call('/lab/api/recordings/%ED%A0%80');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      error: 'invalid_request',
      error_description: 'the request path could not be decoded',
    });
  });
});

describe('times the lab cannot write as dates', () => {
  const LATE = 1e300;

  it('refuses (400) a client report, or a recording to import, with a time outside the range of a Date', async () => {
    const { call } = await start();
    const report = clientReport;
    const post = (path: string, body: unknown) => call(path, { method: 'POST', body });
    expect((await post(labApiPaths.clientExchanges, report)).status).toBe(204);
    expect((await post(labApiPaths.clientExchanges, { ...report, startedAt: LATE })).status).toBe(400);

    const recording = { schemaVersion: 1, id: 'r1', name: 'times', createdAt: 0, events: [makeExchange()] };
    expect((await post(labApiPaths.recordingImport, recording)).status).toBe(201);
    const note = { type: 'note', id: 'n1', at: LATE, text: 'late' };
    for (const bad of [
      { ...recording, createdAt: -LATE },
      { ...recording, events: [makeExchange({ startedAt: LATE })] },
      { ...recording, events: [note] },
    ]) {
      expect((await post(labApiPaths.recordingImport, bad)).status).toBe(400);
    }
  });

  it('still exports a recording whose stored time is not a date (stored before the lab refused them)', async () => {
    const { call, lab } = await start();
    const id = lab.currentRecordingId();
    lab.store.append([{ recordingId: id, event: makeExchange({ startedAt: LATE }) }]);
    for (const format of ['json', 'har', 'md']) {
      const exported = await call(`${labApiPaths.recordingExport(id)}?format=${format}`);
      expect(exported.status).toBe(200);
      if (format !== 'json') expect(exported.body).toContain('1e+300 (not a date)');
    }
  });

  it('moves the lab clock at most a hundred years ahead in all (400 past it), so that lab time stays a date', async () => {
    const { call, lab } = await start();
    const year = 366 * 24 * 3600;
    const advance = (advanceSeconds: number) =>
      call(labApiPaths.clock, { method: 'POST', body: { advanceSeconds } });
    for (let i = 0; i < 100; i++) expect((await advance(year)).status).toBe(200);
    const refused = await advance(1);
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body).error_description).toMatch(/a hundred years/);
    expect(JSON.parse((await call(labApiPaths.clock)).body).offsetMs).toBe(100 * year * 1000);
    // The current recording can still be replaced: its name carries lab time as a date.
    expect((await call(labApiPaths.recording(lab.currentRecordingId()), { method: 'DELETE' })).status).toBe(
      204,
    );
    expect(lab.store.find(lab.currentRecordingId())).toBeDefined();
  });
});

describe('deleting the current recording', () => {
  it('deletes nothing when its replacement cannot be made, and the capture keeps a recording to write to', async () => {
    const { call, lab } = await start();
    const current = lab.currentRecordingId();
    vi.spyOn(lab.store, 'create').mockImplementationOnce(() => {
      throw new Error('database or disk is full');
    });
    expect((await call(labApiPaths.recording(current), { method: 'DELETE' })).status).toBe(500);
    expect(lab.currentRecordingId()).toBe(current);
    expect(lab.store.find(current)).toBeDefined();
    lab.publish(makeExchange({ label: 'after' }));
    const listed = JSON.parse((await call(labApiPaths.recordings)).body) as {
      id: string;
      eventCount: number;
    }[];
    expect(listed.find((r) => r.id === current)?.eventCount).toBe(1);

    expect((await call(labApiPaths.recording(current), { method: 'DELETE' })).status).toBe(204);
    expect(lab.store.find(current)).toBeUndefined();
    expect(lab.store.find(lab.currentRecordingId())).toBeDefined();
  });
});
