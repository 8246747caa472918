import type { LabEvent } from '../../common/lab-events';

/**
 * Told of each event published. `builtByCapture`: the capture built it (an exchange it recorded,
 * published as it is), so it matches the schema by construction.
 */
export type LabEventListener = (event: LabEvent, builtByCapture: boolean) => void;

export interface EventBus {
  /**
   * Sends `event` to the live listeners and keeps it for replay. `json` is its serialization when the
   * caller has one already (the recorder writes the same text), so an event is serialized once.
   * `builtByCapture` is passed on to the listeners (LabEventListener).
   */
  publish(event: LabEvent, json?: string, builtByCapture?: boolean): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: LabEventListener): () => void;
  /**
   * The buffered events published after the event `id`, oldest first. All buffered events when `id`
   * is absent or no longer buffered (the caller missed more than the buffer holds).
   */
  since(id?: string): LabEvent[];
  readonly size: number;
  /** Live listeners now (open event streams). */
  listenerCount(): number;
  /** Bytes of JSON (UTF-8) the buffer holds now. */
  readonly bufferedBytes: number;
}

export interface EventBusOptions {
  /** Most events kept for replay. */
  readonly capacity?: number;
  /** Most bytes of serialized events kept for replay (a few large bodies must not fill memory). */
  readonly maxBytes?: number;
  /** Serializes an event for the buffer, and reads it back (the recording store's own form). */
  readonly serialize?: (event: LabEvent) => string;
  readonly parse?: (json: string) => LabEvent;
}

/**
 * The live event stream. It keeps only the last events (a ring bounded by count and by size), so
 * memory stays bounded however long the lab runs; recordings in SQLite hold the complete history.
 *
 * Buffered events are kept as their JSON in UTF-8, in one buffer outside the JavaScript heap, written
 * in turn from start to end and again: a kept event must not become an old-generation object that the
 * garbage collector copies, marks and frees once the ring overwrites it (as strings, the ring put
 * about 20 MB on the provider's peak RSS under load). Replay (a reconnecting viewer) is rare, and
 * decodes what it reads.
 */
export function createEventBus({
  capacity = 2000,
  maxBytes = 8 * 1024 * 1024,
  serialize = (event) => JSON.stringify(event),
  parse = (json) => JSON.parse(json) as LabEvent,
}: EventBusOptions = {}): EventBus {
  // Slot i holds one event: its id, and where its bytes are (or, for an event larger than the whole
  // buffer, kept alone as a string).
  const ids: (string | undefined)[] = new Array<string | undefined>(capacity);
  const starts = new Int32Array(capacity);
  const lengths = new Int32Array(capacity);
  const oversized: (string | undefined)[] = new Array<string | undefined>(capacity);
  // Allocated with the first event; its pages cost memory only once written.
  let bytes: Buffer | undefined;
  let writeAt = 0;
  let next = 0; // the slot the next event goes to
  let size = 0;
  let buffered = 0;
  const listeners = new Set<LabEventListener>();

  const oldestSlot = (): number => (next - size + capacity) % capacity;

  const dropOldest = (): void => {
    const slot = oldestSlot();
    buffered -= lengths[slot] ?? 0;
    ids[slot] = undefined;
    oversized[slot] = undefined;
    lengths[slot] = 0;
    size -= 1;
  };

  /** Frees [at, at + length) for a new event, dropping the oldest events stored there. */
  const reserve = (length: number): number => {
    // An oversized event is only ever the oldest one (its arrival emptied the ring): it goes first.
    const blocks = (slot: number, from: number, to: number): boolean => {
      if (oversized[slot] !== undefined) return true;
      const start = starts[slot] ?? 0;
      return start < to && from < start + (lengths[slot] ?? 0);
    };
    if (writeAt + length > maxBytes) {
      // What is stored from writeAt on was written before the last wrap: older than everything else.
      while (size > 0 && blocks(oldestSlot(), writeAt, maxBytes)) dropOldest();
      writeAt = 0;
    }
    const end = writeAt + length;
    while (size > 0 && blocks(oldestSlot(), writeAt, end)) dropOldest();
    const at = writeAt;
    writeAt = end;
    return at;
  };

  const jsonAt = (slot: number): string => {
    const kept = oversized[slot];
    if (kept !== undefined) return kept;
    const start = starts[slot] ?? 0;
    return (bytes as Buffer).toString('utf8', start, start + (lengths[slot] ?? 0));
  };

  return {
    publish(event, json = serialize(event), builtByCapture = false) {
      if (size === capacity) dropOldest();
      const length = Buffer.byteLength(json);
      if (length > maxBytes) {
        // Always keep the newest event, however large: alone, as it is, until the next one comes.
        while (size > 0) dropOldest();
        oversized[next] = json;
        writeAt = 0;
      } else {
        bytes ??= Buffer.allocUnsafeSlow(maxBytes);
        const at = reserve(length);
        bytes.write(json, at, length, 'utf8');
        starts[next] = at;
      }
      ids[next] = event.id;
      lengths[next] = length;
      buffered += length;
      next = (next + 1) % capacity;
      size += 1;
      for (const listener of listeners) listener(event, builtByCapture);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    since(id) {
      const first = oldestSlot();
      let from = 0;
      if (id !== undefined) {
        for (let i = 0; i < size; i++) {
          if (ids[(first + i) % capacity] === id) {
            from = i + 1;
            break;
          }
        }
      }
      const out: LabEvent[] = [];
      for (let i = from; i < size; i++) out.push(parse(jsonAt((first + i) % capacity)));
      return out;
    },
    get size() {
      return size;
    },
    listenerCount: () => listeners.size,
    get bufferedBytes() {
      return buffered;
    },
  };
}
