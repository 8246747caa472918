import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { labApiPaths } from '../common/lab-api';
import { assertLoopback } from './server-process';

export const EVENT_STREAM_CHILD_FLAG = '--read-lab-events';

/** What the reader saw of the lab's live event stream while it was open. */
export interface EventStreamReading {
  /** `event: lab` messages received. */
  readonly events: number;
  /** The server ended the stream before the reader was stopped (a viewer too slow is dropped). */
  readonly endedByServer: boolean;
}

/**
 * Counts the `event: lab` messages of a Server-Sent Events stream (HTML Living Standard §9.2.6),
 * chunk by chunk: a line may be split between two chunks.
 */
export function sseEventCounter(): { push(chunk: string): void; readonly count: number } {
  let partial = '';
  let count = 0;
  return {
    push(chunk: string) {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line === 'event: lab' || line === 'event: lab\r') count++;
    },
    get count() {
      return count;
    },
  };
}

/**
 * The child's side (`bench.js --read-lab-events FILE`): opens the lab's event stream with the secret
 * of the lab URL in FILE, says `open` on stdout once the stream's headers came, reads and drops every
 * event, and on SIGTERM writes what it read as JSON and exits.
 */
export async function readLabEvents(labUrlFile: string): Promise<void> {
  const labUrl = new URL(readFileSync(labUrlFile, 'utf8').trim());
  assertLoopback(labUrl.origin);
  const secret = new URLSearchParams(labUrl.hash.slice(1)).get('secret') ?? '';
  const counter = sseEventCounter();
  let endedByServer = false;
  // The harness holds the other end of stdin: gone, it is gone, and so is this reader.
  process.stdin.on('end', () => process.exit(0)).resume();
  process.once('SIGTERM', () => {
    const reading: EventStreamReading = { events: counter.count, endedByServer };
    process.stdout.write(`${JSON.stringify(reading)}\n`, () => process.exit(0));
  });
  const response = await fetch(`${labUrl.origin}${labApiPaths.events}`, {
    headers: { authorization: `Bearer ${secret}`, accept: 'text/event-stream' },
  });
  if (response.status !== 200 || !response.body) throw new Error(`event stream: HTTP ${response.status}`);
  process.stdout.write('open\n');
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      counter.push(decoder.decode(read.value, { stream: true }));
    }
  } catch {
    // The connection closed mid-stream: ended by the server all the same.
  }
  endedByServer = true;
  // Until the harness asks (SIGTERM): what was read is reported then.
  await new Promise<never>(() => setInterval(() => undefined, 60_000));
}

export interface RunningEventStreamReader {
  /** Stops the reader and returns what it read. */
  stop(): Promise<EventStreamReading>;
  /** Stops it without asking (the run failed). */
  kill(): void;
}

/**
 * Keeps the lab UI's live event stream open on a server, as an open lab UI does, read by a process
 * of its own (pinned to `core`, the generator's): the server then decodes, verifies and serializes
 * every exchange for it, and that cost shows in the server's CPU per request.
 */
export async function startEventStreamReader(
  labUrlFile: string,
  core: number | undefined,
): Promise<RunningEventStreamReader> {
  const bench = fileURLToPath(new URL('./bench.js', import.meta.url));
  const argv = [process.execPath, bench, EVENT_STREAM_CHILD_FLAG, labUrlFile];
  const [command, ...args] = core === undefined ? argv : ['taskset', '-c', String(core), ...argv];
  const child = spawn(command ?? process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  // The server wrote its lab URL file before it said it was ready (serve --lab-url-file).
  const lines = createInterface({ input: child.stdout as Readable })[Symbol.asyncIterator]();
  if ((await lines.next()).value !== 'open') {
    child.kill('SIGKILL');
    throw new Error('the event stream reader did not open the stream');
  }
  return {
    async stop() {
      child.kill('SIGTERM');
      const line = await lines.next();
      if (line.done)
        throw new Error(
          `the event stream reader exited without its reading (${child.exitCode ?? child.signalCode})`,
        );
      return JSON.parse(line.value as string) as EventStreamReading;
    },
    kill: () => void child.kill('SIGKILL'),
  };
}
