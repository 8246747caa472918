import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteReplayCache } from '../../../../src/server/infrastructure/replay-cache/sqlite-replay-cache';
import { openDatabase } from '../../../../src/server/infrastructure/sqlite/open-database';

const T0 = 1_800_000_000_000;
const manualClock = (start = T0) => {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('SqliteReplayCache', () => {
  it('answers new, then replayed for the same jti in the same namespace', () => {
    const cache = new SqliteReplayCache(openDatabase({ dataDir: null }), { clock: manualClock() });
    expect(cache.remember('dpop', 'jti-1', T0 + 60_000)).toBe('new');
    expect(cache.remember('dpop', 'jti-1', T0 + 60_000)).toBe('replayed');
    expect(cache.remember('dpop', 'jti-2', T0 + 60_000)).toBe('new');
  });

  it('keeps namespaces apart', () => {
    const cache = new SqliteReplayCache(openDatabase({ dataDir: null }), { clock: manualClock() });
    expect(cache.remember('dpop', 'same', T0 + 60_000)).toBe('new');
    expect(cache.remember('client_assertion', 'same', T0 + 60_000)).toBe('new');
    expect(cache.remember('client_assertion', 'same', T0 + 60_000)).toBe('replayed');
  });

  it('still answers replayed just before expiry, and forgets the jti once it has expired', () => {
    const clock = manualClock();
    const cache = new SqliteReplayCache(openDatabase({ dataDir: null }), { clock, purgeIntervalMs: 1e12 });
    cache.remember('dpop', 'jti-1', T0 + 1000);
    clock.advance(999);
    expect(cache.remember('dpop', 'jti-1', T0 + 5000)).toBe('replayed');
    clock.advance(1);
    // Expired and not yet purged: the entry is reused, and protects the new window.
    expect(cache.remember('dpop', 'jti-1', T0 + 5000)).toBe('new');
    expect(cache.remember('dpop', 'jti-1', T0 + 5000)).toBe('replayed');
  });

  it('purges expired entries periodically, not on every call', () => {
    const clock = manualClock();
    const cache = new SqliteReplayCache(openDatabase({ dataDir: null }), { clock, purgeIntervalMs: 10_000 });
    cache.remember('dpop', 'a', T0 + 100);
    cache.remember('dpop', 'b', T0 + 100_000);
    clock.advance(5_000);
    cache.remember('dpop', 'c', T0 + 100_000);
    expect(cache.entries).toBe(3); // 'a' expired, but the purge interval has not elapsed
    clock.advance(5_000);
    cache.remember('dpop', 'd', T0 + 100_000);
    expect(cache.entries).toBe(3); // 'a' purged, 'd' added
  });

  it('refuses new jtis when full of live entries, without evicting any (fail closed)', () => {
    const clock = manualClock();
    const cache = new SqliteReplayCache(openDatabase({ dataDir: null }), { clock, maxEntries: 3 });
    for (const jti of ['a', 'b', 'c']) expect(cache.remember('dpop', jti, T0 + 60_000)).toBe('new');
    expect(cache.remember('dpop', 'd', T0 + 60_000)).toBe('full');
    // Nothing was forgotten to make room.
    for (const jti of ['a', 'b', 'c']) expect(cache.remember('dpop', jti, T0 + 60_000)).toBe('replayed');
    expect(cache.remember('dpop', 'd', T0 + 60_000)).toBe('full');
  });

  it('makes room again once entries expire', () => {
    const clock = manualClock();
    const cache = new SqliteReplayCache(openDatabase({ dataDir: null }), {
      clock,
      maxEntries: 2,
      purgeIntervalMs: 1e12,
    });
    cache.remember('dpop', 'a', T0 + 1000);
    cache.remember('dpop', 'b', T0 + 60_000);
    expect(cache.remember('dpop', 'c', T0 + 60_000)).toBe('full');
    clock.advance(1000);
    expect(cache.remember('dpop', 'c', T0 + 60_000)).toBe('new');
    expect(cache.remember('dpop', 'b', T0 + 60_000)).toBe('replayed');
  });

  it('survives a restart: a jti seen before a crash is still a replay after it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trusty-lab-replay-'));
    dirs.push(dataDir);
    const clock = manualClock();
    const db = openDatabase({ dataDir });
    expect(new SqliteReplayCache(db, { clock }).remember('dpop', 'jti-1', T0 + 60_000)).toBe('new');
    db.close();

    const reopened = openDatabase({ dataDir });
    const cache = new SqliteReplayCache(reopened, { clock });
    expect(cache.remember('dpop', 'jti-1', T0 + 60_000)).toBe('replayed');
    expect(cache.entries).toBe(1);
    reopened.close();
  });

  it('is fast: 10 000 new jtis well under a second', () => {
    const cache = new SqliteReplayCache(openDatabase({ dataDir: null }), { clock: manualClock() });
    const start = performance.now();
    for (let i = 0; i < 10_000; i++) cache.remember('dpop', `jti-${i}`, T0 + 60_000);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(cache.entries).toBe(10_000);
  });
});
