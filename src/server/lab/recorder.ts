import type { LabEvent } from '../../common/lab-events';
import type { Logger } from '../server-options';
import type { AppendItem, RecordingStore } from './recording-store';

export interface Recorder {
  /**
   * Queues `event` for the current recording; written within `flushEveryMs`, off the request path.
   * `json` is its serialization when the caller has it already.
   */
  record(event: LabEvent, json?: string): void;
  readonly currentRecordingId: string;
  /** Makes another recording current: events recorded from now on go there. */
  setCurrent(id: string): void;
  /** Writes every queued event now, in one transaction. */
  flush(): void;
  /** Flushes and stops the timer; later events are dropped. */
  close(): void;
  readonly pending: number;
}

export interface RecorderOptions {
  store: RecordingStore;
  currentRecordingId: string;
  logger?: Logger;
  flushEveryMs?: number;
  /** Flush at once when this many events are queued (bounds the queue under load). */
  maxBatch?: number;
}

/**
 * Writes published events to SQLite in batches: one transaction every few milliseconds costs far less
 * than one per event, and keeps disk I/O out of the provider's request handling.
 */
export function createRecorder({
  store,
  currentRecordingId,
  logger,
  flushEveryMs = 20,
  maxBatch = 1000,
}: RecorderOptions): Recorder {
  let current = currentRecordingId;
  let queue: AppendItem[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    try {
      store.append(batch);
    } catch (e) {
      // A recording deleted while its events waited: the foreign key refuses them. Keep the others.
      logger?.warn('lab recorder: could not write a batch, retrying one by one', {
        error: (e as Error).message,
      });
      for (const item of batch) {
        try {
          store.append([item]);
        } catch {
          // dropped: its recording no longer exists
        }
      }
    }
  };

  return {
    record(event, json) {
      if (closed) return;
      queue.push(
        json === undefined ? { recordingId: current, event } : { recordingId: current, event, json },
      );
      if (queue.length >= maxBatch) flush();
      else if (!timer) {
        timer = setTimeout(flush, flushEveryMs);
        timer.unref();
      }
    },
    get currentRecordingId() {
      return current;
    },
    setCurrent(id) {
      current = id;
    },
    flush,
    close() {
      flush();
      closed = true;
    },
    get pending() {
      return queue.length;
    },
  };
}
