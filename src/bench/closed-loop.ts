import { Agent, request as httpRequest } from 'node:http';

/** One prepared HTTP request: everything signed and encoded already. */
export interface PreparedRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface ClosedLoopOptions {
  /** The server's origin, e.g. http://127.0.0.1:1234 (loopback only; checked by the caller). */
  readonly origin: string;
  readonly concurrency: number;
  readonly durationMs: number;
  /** The requests to send, in order; the window also ends when they run out (bounded in count). */
  readonly requests: readonly PreparedRequest[];
  /** Which status counts as success (200 for every scenario here). */
  readonly expectedStatus?: number;
  /**
   * Sent once on each of the `concurrency` connections before the window (answered, not timed), so
   * that the window runs on connections already open: see `openConnections`.
   */
  readonly openingRequest: PreparedRequest;
  /** Called once the connections are open, just before the window's clock starts. */
  readonly onWindowStart?: () => void;
}

export interface ClosedLoopResult {
  readonly completed: number;
  readonly errors: number;
  readonly elapsedMs: number;
  readonly latenciesMs: readonly number[];
  /** Status codes and failures seen instead of the expected one, with how often. */
  readonly errorKinds: Readonly<Record<string, number>>;
  /** True when the prepared requests ran out before the duration did. */
  readonly exhausted: boolean;
}

/**
 * A closed loop: `concurrency` workers over keep-alive connections, each sending its next request
 * as soon as the previous answer is read. It stops at the deadline or when the requests run out,
 * whichever comes first, so a run is bounded in time and count. The connections are opened before
 * the window starts.
 */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const url = new URL(options.origin);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const expected = options.expectedStatus ?? 200;
  const latencies: number[] = [];
  const errorKinds: Record<string, number> = {};
  let next = 0;
  let errors = 0;

  const send = (prepared: PreparedRequest): Promise<number | string> =>
    new Promise((resolve) => {
      const req = httpRequest(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: prepared.method,
          path: prepared.path,
          headers: prepared.body
            ? { ...prepared.headers, 'content-length': Buffer.byteLength(prepared.body) }
            : prepared.headers,
        },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', (e) => resolve(e.message));
        },
      );
      req.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? e.message));
      req.end(prepared.body);
    });

  await openConnections(options, send, expected);
  options.onWindowStart?.();
  const start = performance.now();
  const deadline = start + options.durationMs;

  const worker = async () => {
    while (performance.now() < deadline) {
      const prepared = options.requests[next++];
      if (!prepared) return;
      const sentAt = performance.now();
      const outcome = await send(prepared);
      latencies.push(performance.now() - sentAt);
      if (outcome !== expected) {
        errors += 1;
        errorKinds[String(outcome)] = (errorKinds[String(outcome)] ?? 0) + 1;
      }
    }
  };

  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsedMs = performance.now() - start;
  agent.destroy();
  return {
    completed: latencies.length,
    errors,
    elapsedMs,
    latenciesMs: latencies,
    errorKinds,
    exhausted: next > options.requests.length,
  };
}

/**
 * Opens the window's connections: `concurrency` opening requests at once, each on a connection of
 * its own (the agent makes one per request while under `maxSockets`), all answered before the window.
 *
 * Opened inside the window, they made its p99: Node's libuv (1.46, since libuv#3696) accepts one
 * connection per turn of the event loop, and a server busy with the connections it has accepted
 * takes several milliseconds a turn. Sixteen connections opened at once were accepted over about
 * 60 ms, and in every window 10–16 first requests took 40–160 ms: as many as the 1% above a 2 s
 * window's p99. The target is about requests on open connections, not about a burst of new ones.
 */
async function openConnections(
  options: ClosedLoopOptions,
  send: (prepared: PreparedRequest) => Promise<number | string>,
  expected: number,
): Promise<void> {
  const outcomes = await Promise.all(
    Array.from({ length: options.concurrency }, () => send(options.openingRequest)),
  );
  const failed = outcomes.find((outcome) => outcome !== expected);
  if (failed !== undefined) throw new Error(`opening request failed: ${failed}`);
}
