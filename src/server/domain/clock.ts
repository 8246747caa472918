/**
 * The server's notion of time. Injected everywhere time matters so that the lab can move it
 * (expire a code, a PAR request) and tests can control it.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Seconds since the epoch, as JWT NumericDate (RFC 7519 §2). */
export const epochSeconds = (clock: Clock): number => Math.floor(clock.now() / 1000);

export const systemClock: Clock = { now: () => Date.now() };
