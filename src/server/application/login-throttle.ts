import type { Clock } from '../domain/clock';

/** After this many consecutive failures for one username, each further attempt must wait. */
const FREE_ATTEMPTS = 5;
const BASE_DELAY_S = 2;
const MAX_DELAY_S = 300;
/** Bounded memory: the oldest entries are forgotten past this many usernames. */
const MAX_ENTRIES = 10_000;

export interface LoginThrottle {
  /** Seconds to wait before the next attempt for this username (0: go ahead). */
  retryAfter(username: string): number;
  recordFailure(username: string): void;
  recordSuccess(username: string): void;
}

/**
 * Slows down password guessing: after FREE_ATTEMPTS failures, the wait doubles with each failure up
 * to MAX_DELAY_S (OWASP ASVS V2.2.1). Keyed by username so that rotating source addresses does not help.
 */
export function createLoginThrottle(clock: Clock): LoginThrottle {
  const entries = new Map<string, { failures: number; lastFailure: number }>();
  const key = (username: string) => username.trim().toLowerCase();
  const delay = (failures: number) =>
    failures < FREE_ATTEMPTS ? 0 : Math.min(MAX_DELAY_S, BASE_DELAY_S * 2 ** (failures - FREE_ATTEMPTS));
  return {
    retryAfter(username) {
      const entry = entries.get(key(username));
      if (!entry) return 0;
      const until = entry.lastFailure + delay(entry.failures) * 1000;
      return Math.max(0, Math.ceil((until - clock.now()) / 1000));
    },
    recordFailure(username) {
      const k = key(username);
      const entry = entries.get(k) ?? { failures: 0, lastFailure: 0 };
      entries.delete(k);
      entries.set(k, { failures: entry.failures + 1, lastFailure: clock.now() });
      if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
    },
    recordSuccess(username) {
      entries.delete(key(username));
    },
  };
}
