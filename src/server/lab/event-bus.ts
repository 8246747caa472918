import type { LabEvent } from '../../common/lab-events';

export type LabEventListener = (event: LabEvent) => void;

export interface EventBus {
  /**
   * Sends `event` to the live listeners and keeps it for replay. `json` is its serialization when the
   * caller has one already (the recorder writes the same text), so an event is serialized once.
   */
  publish(event: LabEvent, json?: string): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: LabEventListener): () => void;
  /**
   * The buffered events published after the event `id`, oldest first. All buffered events when `id`
   * is absent or no longer buffered (the caller missed more than the buffer holds).
   */
  since(id?: string): LabEvent[];
  readonly size: number;
  /** Characters of JSON the buffer holds now. */
  readonly bufferedChars: number;
}

export interface EventBusOptions {
  /** Most events kept for replay. */
  readonly capacity?: number;
  /** Most characters of serialized events kept for replay (a few large bodies must not fill memory). */
  readonly maxChars?: number;
  /** Serializes an event for the buffer, and reads it back (the recording store's own form). */
  readonly serialize?: (event: LabEvent) => string;
  readonly parse?: (json: string) => LabEvent;
}

interface Buffered {
  readonly id: string;
  readonly json: string;
}

/**
 * The live event stream. It keeps only the last events (a ring bounded by count and by size), so
 * memory stays bounded however long the lab runs; recordings in SQLite hold the complete history.
 * Buffered events are kept as their JSON, not as object graphs: a string costs a fraction of the
 * memory and nothing to the garbage collector's marking, and replay (a reconnecting viewer) is rare.
 */
export function createEventBus({
  capacity = 2000,
  maxChars = 8_000_000,
  serialize = (event) => JSON.stringify(event),
  parse = (json) => JSON.parse(json) as LabEvent,
}: EventBusOptions = {}): EventBus {
  const ring: (Buffered | undefined)[] = new Array<Buffered | undefined>(capacity);
  let next = 0; // where the next event goes
  let size = 0;
  let chars = 0;
  const listeners = new Set<LabEventListener>();

  const oldestIndex = (): number => (next - size + capacity) % capacity;

  const dropOldest = (): void => {
    const index = oldestIndex();
    chars -= ring[index]?.json.length ?? 0;
    ring[index] = undefined;
    size -= 1;
  };

  const ordered = (): Buffered[] => {
    const out: Buffered[] = [];
    const start = oldestIndex();
    for (let i = 0; i < size; i++) {
      const entry = ring[(start + i) % capacity];
      if (entry) out.push(entry);
    }
    return out;
  };

  return {
    publish(event, json = serialize(event)) {
      if (size === capacity) dropOldest();
      ring[next] = { id: event.id, json };
      next = (next + 1) % capacity;
      size += 1;
      chars += json.length;
      // Always keep the newest event, however large; drop from the oldest end past the size bound.
      while (chars > maxChars && size > 1) dropOldest();
      for (const listener of listeners) listener(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    since(id) {
      const all = ordered();
      const index = id === undefined ? -1 : all.findIndex((entry) => entry.id === id);
      return all.slice(index + 1).map((entry) => parse(entry.json));
    },
    get size() {
      return size;
    },
    get bufferedChars() {
      return chars;
    },
  };
}
