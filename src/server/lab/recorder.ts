import type { LabEvent } from '../../common/lab-events';
import type { Logger } from '../server-options';
import { createRecorderDropReport } from './recorder-drop-report';
import type { PreparedEvent, RecordingStore } from './recording-store';

export interface Recorder {
  /**
   * Queues `event` for the current recording; written within `flushEveryMs`, off the request path.
   * `prepared` is what the store will keep of it (`RecordingStore.prepare`, for the current
   * recording), when the caller has it already; the event itself is not kept until then. Without it,
   * the event is prepared here, and one that cannot be stored throws as `prepare` does.
   */
  record(event: LabEvent, prepared?: PreparedEvent): void;
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
  /**
   * Flush at once when this many events are queued. Kept small enough that a busy provider writes its
   * batch before V8's young generation fills twice: an event still queued at two minor collections is
   * promoted to the old generation (RECORDER_BATCH).
   */
  maxBatch?: number;
  /** The most recent events written that `replay` can give, and their most text. */
  replayable?: number;
  replayChars?: number;
  /** Bytes of the buffer queued texts wait in, encoded (a batch is written before it fills). */
  stagingBytes?: number;
}

/**
 * Events a batch holds at most. At 27,000 exchanges a second (discovery, 16 connections) a batch of
 * 20 ms is 540 events, which outlived two minor collections (one every 13 ms there): V8 promoted
 * 350 bytes an exchange to its old generation (the queued item, its columns and its ids), the old
 * generation grew by 9 MB a second and the RSS cycled with it. With batches of 128 the capture
 * promoted 66 bytes an exchange, and the peak RSS fell from 128 to 118 MB (8 s, `--trace-gc-nvp`).
 * At a token endpoint's rate (4,000 a second) 20 ms come first, as before.
 */
const RECORDER_BATCH = 128;

/** A 32-bit hash of an event id (FNV-1a over its UTF-16 code units), as the replay's ring keeps it. */
export function eventIdHash(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return hash | 0;
}

/** The error SQLite gives an event filed under a recording that no longer exists. */
const isDeletedRecording = (e: unknown): boolean =>
  (e as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';

/**
 * Writes published events to the recording store in batches (their rows in SQLite, their texts in the
 * event log): one transaction and one write every few milliseconds cost far less than one per event,
 * and keep disk I/O out of the provider's request handling.
 */
export function createRecorder({
  store,
  currentRecordingId,
  logger,
  flushEveryMs = 20,
  maxBatch = RECORDER_BATCH,
  replayable = 2000,
  replayChars = 8 * 1024 * 1024,
  stagingBytes = 4 * 1024 * 1024,
}: RecorderOptions): Recorder {
  let current = currentRecordingId;
  let queue: PreparedEvent[] = [];
  // Queued texts wait here in UTF-8, each where the one before ends, and the space is used again once
  // they are written: neither V8's heap nor malloc holds a copy of each (PreparedEvent). A Buffer
  // each moved the bytes V8 no longer promoted into malloc's heap, which grew by as much (33 MB
  // under discovery load) and kept it.
  const staging = Buffer.allocUnsafe(stagingBytes);
  let staged = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  // The seqs of the last events written and their ids' hashes, oldest first from `next` on (a ring).
  // Not the ids: under discovery load the strings of the last 2,000 were promoted to V8's old
  // generation, 40 bytes an exchange. A replay asks the store for the id of a seq whose hash matches.
  const writtenSeqs = new Float64Array(replayable);
  const writtenIdHashes = new Int32Array(replayable);
  let next = 0;
  let filled = 0;
  const written = (id: string, seq: number): void => {
    writtenSeqs[next] = seq;
    writtenIdHashes[next] = eventIdHash(id);
    next = (next + 1) % replayable;
    filled = Math.min(filled + 1, replayable);
  };
  /**
   * Whether the event written under `seq`, whose id's hash is that of `id`, is `id`: the store says
   * which it is, or that it was deleted since (its recording was), which is taken as a match (wrong
   * only if that was another event with the same hash: one chance in two million among 2,000).
   */
  const isWritten = (id: string, seq: number): boolean => {
    const stored = store.eventIdAt(seq);
    return stored === undefined || stored === id;
  };

  /**
   * `item` with its text encoded into the staging buffer (its own buffer if it could not fit), when
   * the store writes texts to an event log; a store that keeps them in their rows takes the string.
   */
  const stage = (item: PreparedEvent): PreparedEvent => {
    const { stored } = item;
    if (typeof stored !== 'string' || !store.logsTexts) return item;
    const most = stored.length * 3; // UTF-8 bytes of a UTF-16 code unit, at most
    if (staged + most > stagingBytes) flush();
    // Too long for the buffer, or (a logger that publishes while a batch is written) for what is left.
    if (staged + most > stagingBytes) return { ...item, stored: Buffer.from(stored, 'utf8') };
    const length = staging.write(stored, staged, 'utf8');
    const bytes = staging.subarray(staged, staged + length);
    staged += length;
    return { ...item, stored: bytes };
  };

  const drops = createRecorderDropReport(logger);
  const write = (batch: PreparedEvent[]): void => {
    try {
      const seqs = store.append(batch);
      batch.forEach((item, i) => written(item.eventId, seqs[i] as number));
      drops.written();
    } catch (batchError) {
      // One by one, so that what can be written is. The events of a recording deleted while they
      // waited are refused (its foreign key) and go with it, as they should; anything else is a loss.
      let lost = 0;
      let cause: unknown = batchError;
      for (const item of batch) {
        try {
          written(item.eventId, store.append([item])[0] as number);
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
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    try {
      write(batch);
    } finally {
      // Its bytes are written (or dropped): the space is free again, unless something recorded
      // while it was written (a logger that publishes) staged texts after them.
      if (queue.length === 0) staged = 0;
    }
  };

  return {
    record(event, prepared) {
      if (closed) return;
      // Staged before `queue` is read: staging may write the queue out and start a new one.
      const item = stage(prepared ?? store.prepare(current, event));
      queue.push(item);
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
      const afterHash = afterId === undefined ? undefined : eventIdHash(afterId);
      const seqs: number[] = [];
      for (let i = 1; i <= filled; i++) {
        const slot = (next - i + replayable) % replayable;
        const seq = writtenSeqs[slot] as number;
        if (afterId !== undefined && writtenIdHashes[slot] === afterHash && isWritten(afterId, seq)) break;
        seqs.push(seq);
      }
      return store.eventsAt(seqs.reverse(), replayChars);
    },
  };
}
