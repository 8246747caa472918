import type { Clock } from '../domain/clock';

/**
 * How far ahead the lab clock may run in all: a hundred years. Each move is bounded by the lab API,
 * but moves add up, and lab time must stay a date (time-value.ts): past it, every recording created
 * and every export would fail.
 */
export const MAX_LAB_CLOCK_OFFSET_MS = 100 * 366 * 24 * 3600 * 1000;

export interface LabClockChange {
  /** The offset from the base clock after the change, in milliseconds. */
  readonly offsetMs: number;
  /** The lab time right after the change. */
  readonly at: number;
  readonly reason: string;
}

export interface LabClock extends Clock {
  /** How far the lab clock runs ahead of its base clock. */
  readonly offsetMs: number;
  /** Moves lab time forward by `ms` (to expire codes, PAR requests, tokens), up to MAX_LAB_CLOCK_OFFSET_MS in all. */
  advance(ms: number, reason: string): void;
  /** Back to the base clock's time. */
  reset(reason: string): void;
  /** Called after every change; returns the unsubscribe function. */
  onChange(listener: (change: LabClockChange) => void): () => void;
}

/**
 * A clock the lab can move. Every component reads time through it, so advancing it by 61 s makes a
 * 60 s authorization code expire exactly as it would in real time.
 */
export function createLabClock(base: Clock): LabClock {
  let offsetMs = 0;
  const listeners = new Set<(change: LabClockChange) => void>();

  const notify = (reason: string): void => {
    const change: LabClockChange = { offsetMs, at: base.now() + offsetMs, reason };
    for (const listener of listeners) listener(change);
  };

  return {
    now: () => base.now() + offsetMs,
    get offsetMs() {
      return offsetMs;
    },
    advance(ms, reason) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the lab clock only moves forward');
      if (offsetMs + ms > MAX_LAB_CLOCK_OFFSET_MS) {
        throw new RangeError('the lab clock runs at most a hundred years ahead');
      }
      offsetMs += ms;
      notify(reason);
    },
    reset(reason) {
      offsetMs = 0;
      notify(reason);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
