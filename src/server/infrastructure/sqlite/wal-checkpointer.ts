import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import type { Logger } from '../../server-options';

/**
 * SQLite's automatic WAL checkpoint runs inside the commit that crosses the threshold: that commit
 * copies up to a thousand pages back into the database file and waits for fsync, on the event loop,
 * in the middle of serving a request — the provider's worst latencies. Here a worker thread with its
 * own connection checkpoints instead (PASSIVE: it never blocks the provider's reads or writes), and
 * the provider's connection stops checkpointing by itself once the worker is ready. If the worker
 * cannot start or stops, automatic checkpoints come back: the WAL never grows without bound.
 *
 * A worker is a second V8 isolate (several MB, tens of ms to boot), worth it only when the provider
 * writes a lot: it starts once the WAL file has reached `startAtWalBytes` (half of what triggers an
 * automatic checkpoint), so an idle or lightly used lab never pays for it and its start-up is not
 * slowed.
 */
export interface WalCheckpointer extends Stoppable {
  /**
   * The provider is busy (a request came in): the WAL's growth is watched again, if it was not, until
   * the connection has written nothing for a while. A lab left idle runs no timer for it.
   */
  wake(): void;
}

/** What the checkpointer and its running worker both do. */
interface Stoppable {
  /** Stops the worker (its connection closes first) and gives checkpoints back to `db`. */
  stop(): Promise<void>;
}

export interface WalCheckpointerOptions {
  /** The provider's connection (its automatic checkpoints are switched off while the worker runs). */
  readonly db: Database;
  /** The database file the worker opens. */
  readonly path: string;
  /** A better-sqlite3 binary built for this runtime (Electron), as given to the provider's connection. */
  readonly nativeBinding?: string;
  /** How often the worker checkpoints. */
  readonly intervalMs?: number;
  /** How often the WAL file's size is looked at, before the worker starts. */
  readonly pollMs?: number;
  /** The WAL size that starts the worker. */
  readonly startAtWalBytes?: number;
  /** The WAL file's size in bytes (0 when there is none); tests count its calls. */
  readonly walBytes?: () => number;
  readonly logger?: Logger;
}

/** SQLite's default wal_autocheckpoint, restored when the worker is not running. */
const AUTOCHECKPOINT_PAGES = 1000;
/** Polls that found no change before the poll rests (10 s at the default pace). */
const QUIET_POLLS_BEFORE_REST = 10;

// The worker's whole program: run as a script (eval), it loads better-sqlite3 by absolute path.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
db.pragma('busy_timeout = 100');
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { /* busy: the next tick tries again */ }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
parentPort.postMessage('ready');
`;

export function startWalCheckpointer(options: WalCheckpointerOptions): WalCheckpointer {
  const {
    db,
    path,
    pollMs = 1000,
    startAtWalBytes = (AUTOCHECKPOINT_PAGES / 2) * 4096,
    walBytes = () => statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0,
  } = options;
  // The WAL grows when the connection writes: the file is looked at only once the connection's count
  // of changed rows has moved, and the poll rests once that count has not moved for a while (until
  // `wake`). A stat makes a Stats object and its four Dates (about 1.4 KB), and a timer's callback a few
  // hundred bytes: once a second in a lab left idle, they filled fresh pages of V8's young generation,
  // and its RSS crept up by about 2 KB a second (past 60 MB after 6 minutes at rest).
  const totalChanges = db.prepare('SELECT total_changes()').pluck();
  let changesSeen: unknown;
  let quietPolls = 0;
  let poll: NodeJS.Timeout | undefined;
  let worker: Stoppable | undefined;
  let stopped = false;
  const rest = () => {
    clearInterval(poll);
    poll = undefined;
  };
  const look = () => {
    let changes = changesSeen;
    try {
      changes = totalChanges.get();
    } catch {
      // closed, or busy with a query under way: counted as quiet
    }
    if (changes === changesSeen) {
      if (++quietPolls >= QUIET_POLLS_BEFORE_REST) rest();
      return;
    }
    changesSeen = changes;
    quietPolls = 0;
    if (walBytes() < startAtWalBytes) return;
    rest();
    worker = startWorker(options);
  };
  const wake = () => {
    if (poll !== undefined || worker !== undefined || stopped) return;
    quietPolls = 0;
    poll = setInterval(look, pollMs);
    poll.unref();
  };
  wake(); // start-up itself writes (migrations, the first keys)
  return {
    wake,
    async stop() {
      stopped = true;
      rest();
      await worker?.stop();
    },
  };
}

const requireHere = createRequire(import.meta.url);

function startWorker({
  db,
  path,
  nativeBinding,
  intervalMs = 250,
  logger,
}: WalCheckpointerOptions): Stoppable {
  const automatic = (on: boolean) => {
    if (db.open) db.pragma(`wal_autocheckpoint = ${on ? AUTOCHECKPOINT_PAGES : 0}`);
  };
  let worker: Worker | undefined;
  try {
    // Loaded here, when the WAL first grows large, not on every start-up (a lab that stays idle never
    // needs it).
    const { Worker: WorkerThread } = requireHere(
      'node:worker_threads',
    ) as typeof import('node:worker_threads');
    worker = new WorkerThread(WORKER_SOURCE, {
      eval: true,
      workerData: {
        module: requireHere.resolve('better-sqlite3'),
        path,
        nativeBinding,
        intervalMs,
      },
    });
  } catch (e) {
    logger?.warn('WAL checkpoints stay on the main thread', { error: (e as Error).message });
    return { stop: async () => undefined };
  }
  worker.unref();
  let running = false;
  let stopping = false;
  worker.on('message', (message) => {
    if (message === 'ready' && !stopping) {
      running = true;
      automatic(false);
    }
  });
  worker.on('error', (e) => {
    logger?.warn('WAL checkpoint worker failed; checkpoints are back on the main thread', {
      error: e.message,
    });
  });
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      running = false;
      automatic(true);
      resolve();
    });
  });

  return {
    async stop() {
      if (stopping) return exited;
      stopping = true;
      if (running) worker.postMessage('stop');
      else void worker.terminate();
      await exited;
    },
  };
}
