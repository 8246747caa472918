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
 * whichever comes first, so a run is bounded in time and count.
 */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const url = new URL(options.origin);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const expected = options.expectedStatus ?? 200;
  const latencies: number[] = [];
  const errorKinds: Record<string, number> = {};
  let next = 0;
  let errors = 0;
  const start = performance.now();
  const deadline = start + options.durationMs;

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
