import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runClosedLoop, type PreparedRequest } from '../../../src/bench/closed-loop';

const OPENING: PreparedRequest = { method: 'GET', path: '/open', headers: {} };
const WORK: PreparedRequest = { method: 'POST', path: '/work', headers: {}, body: 'x=1' };

/** A server that logs, in order, each connection it accepts and each request it answers. */
async function loggingServer(
  openingStatus = 200,
): Promise<{ origin: string; log: string[]; server: Server }> {
  const log: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      log.push(`request ${req.url}`);
      res.statusCode = req.url === '/open' ? openingStatus : 200;
      res.end('{}');
    });
  });
  server.on('connection', () => log.push('connection'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, log, server };
}

let running: Server | undefined;
afterEach(async () => {
  running?.closeAllConnections();
  await new Promise((resolve) => running?.close(resolve));
  running = undefined;
});

describe('runClosedLoop', () => {
  it('opens every connection before the window, so the window opens none and times none of the opening requests', async () => {
    const { origin, log, server } = await loggingServer();
    running = server;
    let atWindowStart: string[] = [];
    const result = await runClosedLoop({
      origin,
      concurrency: 4,
      durationMs: 5_000,
      requests: Array.from({ length: 40 }, () => WORK),
      openingRequest: OPENING,
      onWindowStart: () => (atWindowStart = [...log]),
    });

    // Before the clock started: four connections, each with its opening request answered.
    expect(atWindowStart.filter((line) => line === 'connection')).toHaveLength(4);
    expect(atWindowStart.filter((line) => line === 'request /open')).toHaveLength(4);
    expect(atWindowStart).not.toContain('request /work');
    // In the window: the prepared requests only, over those four connections.
    const inWindow = log.slice(atWindowStart.length);
    expect(inWindow).not.toContain('connection');
    expect(inWindow.filter((line) => line === 'request /work')).toHaveLength(40);
    expect(result.completed).toBe(40);
    expect(result.latenciesMs).toHaveLength(40);
    expect(result.errors).toBe(0);
  });

  it('refuses to run a window when an opening request fails', async () => {
    const { origin, log, server } = await loggingServer(503);
    running = server;
    let started = false;
    await expect(
      runClosedLoop({
        origin,
        concurrency: 2,
        durationMs: 1_000,
        requests: [WORK, WORK],
        openingRequest: OPENING,
        onWindowStart: () => (started = true),
      }),
    ).rejects.toThrow('opening request failed: 503');
    expect(started).toBe(false);
    expect(log).not.toContain('request /work');
  });
});
