import type { RequestListener } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listen, type Listening, type RequestTimeouts } from '../../../src/server/http/listen';

const timeouts = (closeGrace: number): RequestTimeouts => ({
  requestTimeout: 30_000,
  headersTimeout: 20_000,
  connectionsCheckingInterval: 30_000,
  closeGrace,
});

let listening: Listening | undefined;
afterEach(async () => {
  await listening?.close();
  listening = undefined;
});

/** Sends a GET on a raw connection; resolves with what came back once the server ends or cuts it. */
const rawGet = (port: number): Promise<string> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'),
    );
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => undefined);
  });

/**
 * Listens with `handler` (and `closeGrace`), sends it a GET, and resolves once the handler has the
 * request (`answer`: what the client then receives, until its connection closes).
 */
async function requestInFlight(
  closeGrace: number,
  handler: RequestListener,
): Promise<{ server: Listening; answer: Promise<string> }> {
  let arrived: () => void = () => {};
  const inFlight = new Promise<void>((r) => (arrived = r));
  const server = await listen(
    (req, res) => {
      handler(req, res);
      arrived();
    },
    '127.0.0.1',
    0,
    undefined,
    timeouts(closeGrace),
  );
  listening = server;
  const answer = rawGet(server.port);
  await inFlight;
  return { server, answer };
}

/** Whether `promise` settles within `ms`. */
const settlesWithin = (promise: Promise<unknown>, ms: number): Promise<boolean> =>
  Promise.race([promise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

describe('closing a listening server', () => {
  it('lets a request in flight finish within the grace, then resolves', async () => {
    const grace = 2_000;
    const { server, answer } = await requestInFlight(grace, (_req, res) =>
      setTimeout(() => res.end('finished'), 100),
    );
    const started = Date.now();
    const closed = server.close();
    expect(await answer).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*finished$/);
    await closed;
    // Its connection is closed once the response is sent: neither the grace nor Node's keep-alive
    // timeout (5 s) is waited for.
    expect(Date.now() - started).toBeLessThan(grace / 2);
    listening = undefined;
  });

  it('cuts off, after the grace, a response that never ends (a stream, a client that stopped reading)', async () => {
    const grace = 300;
    const { server, answer } = await requestInFlight(grace, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(': open\n\n');
    });
    const started = Date.now();
    const closed = server.close();
    // Not before the grace: the response might still have finished.
    expect(await settlesWithin(closed, 150)).toBe(false);
    expect(await settlesWithin(closed, 2_000)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(grace - 20);
    expect(await answer).toContain(': open');
    listening = undefined;
  });
});
