import type { LabEvent } from '../../common/lab-events';
import type { Logger } from '../server-options';
import { createRecorderDropReport } from './recorder-drop-report';
import type { AppendItem, RecordingStore } from './recording-store';

export interface Recorder {
  /**
   * Queues `event` for the current recording; written within `flushEveryMs`, off the request path.
   * `stored` is its stored text in UTF-8 when the caller has it already (AppendItem).
   */
  record(event: LabEvent, stored?: Buffer): void;
  readonly currentRecordingId: string;
  /** Makes another recording current: events recorded from now on go there. */
  setCurrent(id: string): void;
  /** Writes every queued event now, in one transaction. */
  flush(): void;
  /** Flushes and stops the timer; later events are dropped. */
  close(): void;
  readonly pending: number;
  /**
   * What a viewer that reconnects missed (the lab's event stream, `?since=`): the events this
   * recorder wrote after the event `afterId`, in order, among the last `replayable` it wrote, within
   * about `replayChars` of stored text (the newest kept); all of those when `afterId` is absent or
   * not among them. Writes what is queued first.
   */
  replay(afterId?: string): LabEvent[];
}

export interface RecorderOptions {
  store: RecordingStore;
  currentRecordingId: string;
  logger?: Logger;
  flushEveryMs?: number;
  /** Flush at once when this many events are queued (bounds the queue under load). */
  maxBatch?: number;
  /** The most recent events written that `replay` can give, and their most text. */
  replayable?: number;
  replayChars?: number;
}

/** The error SQLite gives an event filed under a recording that no longer exists. */
const isDeletedRecording = (e: unknown): boolean =>
  (e as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';

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
  replayable = 2000,
  replayChars = 8 * 1024 * 1024,
}: RecorderOptions): Recorder {
  let current = currentRecordingId;
  let queue: AppendItem[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  // The ids and seqs of the last events written, oldest first from `next` on (a ring).
  const writtenIds: (string | undefined)[] = new Array<string | undefined>(replayable);
  const writtenSeqs = new Float64Array(replayable);
  let next = 0;
  const written = (id: string, seq: number): void => {
    writtenIds[next] = id;
    writtenSeqs[next] = seq;
    next = (next + 1) % replayable;
  };

  const drops = createRecorderDropReport(logger);
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    try {
      const seqs = store.append(batch);
      batch.forEach((item, i) => written(item.event.id, seqs[i] as number));
      drops.written();
    } catch (batchError) {
      // One by one, so that what can be written is. The events of a recording deleted while they
      // waited are refused (its foreign key) and go with it, as they should; anything else is a loss.
      let lost = 0;
      let cause: unknown = batchError;
      for (const item of batch) {
        try {
          written(item.event.id, store.append([item])[0] as number);
        } catch (e) {
          if (isDeletedRecording(e)) continue;
          lost += 1;
          cause = e;
        }
      }
      if (lost > 0) drops.dropped(lost, cause);
      else drops.written();
    }
  };

  return {
    record(event, stored) {
      if (closed) return;
      queue.push(
        stored === undefined ? { recordingId: current, event } : { recordingId: current, event, stored },
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
    replay(afterId) {
      flush();
      // Newest first: an id written twice (a client may reuse one) resumes after its latest.
      const seqs: number[] = [];
      for (let i = 1; i <= replayable; i++) {
        const slot = (next - i + replayable) % replayable;
        const id = writtenIds[slot];
        if (id === undefined || (afterId !== undefined && id === afterId)) break;
        seqs.push(writtenSeqs[slot] as number);
      }
      return store.eventsAt(seqs.reverse(), replayChars);
    },
  };
}
