import type { LabEvent } from '../../common/lab-events';

export type LabEventListener = (event: LabEvent) => void;

export interface EventBus {
  publish(event: LabEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: LabEventListener): () => void;
  /**
   * The buffered events published after the event `id`, oldest first. All buffered events when `id`
   * is absent or no longer buffered (the caller missed more than the buffer holds).
   */
  since(id?: string): LabEvent[];
  readonly size: number;
}

/**
 * The live event stream. It keeps only the last `capacity` events (a ring), so memory stays bounded
 * however long the lab runs; recordings in SQLite hold the complete history.
 */
export function createEventBus({ capacity = 2000 }: { capacity?: number } = {}): EventBus {
  const ring: (LabEvent | undefined)[] = new Array<LabEvent | undefined>(capacity);
  let next = 0; // where the next event goes
  let size = 0;
  const listeners = new Set<LabEventListener>();

  const ordered = (): LabEvent[] => {
    const out: LabEvent[] = [];
    const start = (next - size + capacity) % capacity;
    for (let i = 0; i < size; i++) {
      const event = ring[(start + i) % capacity];
      if (event) out.push(event);
    }
    return out;
  };

  return {
    publish(event) {
      ring[next] = event;
      next = (next + 1) % capacity;
      if (size < capacity) size += 1;
      for (const listener of listeners) listener(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    since(id) {
      const all = ordered();
      if (id === undefined) return all;
      const index = all.findIndex((event) => event.id === id);
      return index < 0 ? all : all.slice(index + 1);
    },
    get size() {
      return size;
    },
  };
}
