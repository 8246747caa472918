import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tempDirs } from '../../../support/temp-dirs';
import {
  JournaledReplayCache,
  REPLAY_CACHE_NAMESPACE,
  replayCacheMigrations,
  type JournaledReplayCacheOptions,
} from '../../../../src/server/infrastructure/replay-cache/journaled-replay-cache';
import { migrate } from '../../../../src/server/infrastructure/sqlite/migrate';
import { openDatabase } from '../../../../src/server/infrastructure/sqlite/open-database';

const T0 = 1_800_000_000_000;
const manualClock = (start = T0) => {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
};

const dirs = tempDirs('trusty-lab-replay-');
afterAll(dirs.removeAll);
const tempDir = dirs.make;
const journalIn = (dir = tempDir()): string => join(dir, 'replay-cache.journal');
const journalLines = (path: string): string[] => readFileSync(path, 'utf8').split('\n').slice(0, -1);

const caches: JournaledReplayCache[] = [];
afterAll(() => caches.forEach((c) => c.close()));
/** A cache; not closed before the next one opens the same journal, as after a kill -9. */
const open = (options: Partial<JournaledReplayCacheOptions> = {}): JournaledReplayCache => {
  const cache = new JournaledReplayCache({ journalPath: null, clock: manualClock(), ...options });
  caches.push(cache);
  return cache;
};

describe('JournaledReplayCache', () => {
  it('answers new, then replayed for the same jti in the same namespace', () => {
    const cache = open();
    expect(cache.remember('dpop', 'jti-1', T0 + 60_000)).toBe('new');
    expect(cache.remember('dpop', 'jti-1', T0 + 60_000)).toBe('replayed');
    expect(cache.remember('dpop', 'jti-2', T0 + 60_000)).toBe('new');
  });

  it('keeps namespaces apart', () => {
    const cache = open();
    expect(cache.remember('dpop', 'same', T0 + 60_000)).toBe('new');
    expect(cache.remember('client_assertion', 'same', T0 + 60_000)).toBe('new');
    expect(cache.remember('client_assertion', 'same', T0 + 60_000)).toBe('replayed');
    // Namespace and jti are not merely concatenated.
    expect(cache.remember('ab', 'c', T0 + 60_000)).toBe('new');
    expect(cache.remember('a', 'bc', T0 + 60_000)).toBe('new');
  });

  it('keeps the last tenth for the clients that hold less than a tenth, even against two heavy ones', () => {
    const clock = manualClock();
    const cache = open({ clock, maxEntries: 100, purgeIntervalMs: 1e12 });
    for (let i = 0; i < 50; i++) expect(cache.remember('dpop', `a-${i}`, T0 + 1000, 'A')).toBe('new');
    for (let i = 0; i < 40; i++) expect(cache.remember('dpop', `b-${i}`, T0 + 1000, 'B')).toBe('new');
    // 90 of 100 stored: A and B hold a tenth or more, and are refused; C holds less, and is not.
    expect(cache.remember('dpop', 'a-50', T0 + 1000, 'A')).toBe('full');
    expect(cache.remember('client_assertion', 'b-40', T0 + 1000, 'B')).toBe('full');
    for (let i = 0; i < 10; i++) expect(cache.remember('dpop', `c-${i}`, T0 + 5000, 'C')).toBe('new');
    // The hard cap holds for everyone.
    expect(cache.remember('dpop', 'd-0', T0 + 5000, 'D')).toBe('full');
    // A's and B's entries expire: purged when the cache is full, and their shares are free again.
    clock.advance(1000);
    expect(cache.remember('dpop', 'a-51', T0 + 9000, 'A')).toBe('new');
    expect(cache.entries).toBe(11);
  });

  it("gives a client's share back when its entries are purged", () => {
    const clock = manualClock();
    const cache = open({ clock, maxEntries: 100, purgeIntervalMs: 1e12 });
    for (let i = 0; i < 10; i++) expect(cache.remember('dpop', `a-${i}`, T0 + 1000, 'A')).toBe('new');
    clock.advance(1000);
    expect(cache.purge()).toBe(10);
    for (let i = 0; i < 90; i++) expect(cache.remember('dpop', `b-${i}`, T0 + 9000, 'B')).toBe('new');
    // Only the reserve is left: A holds nothing live now, and gets it.
    expect(cache.remember('dpop', 'a-new', T0 + 9000, 'A')).toBe('new');
  });

  it('charges an expired entry reused by another client to that client', () => {
    const clock = manualClock();
    const cache = open({ clock, maxEntries: 100, purgeIntervalMs: 1e12 });
    for (let i = 0; i < 10; i++) expect(cache.remember('dpop', `x-${i}`, T0 + 1000, 'A')).toBe('new');
    for (let i = 0; i < 80; i++) expect(cache.remember('dpop', `b-${i}`, T0 + 9000, 'B')).toBe('new');
    clock.advance(1000);
    // x-0 has expired, not been purged: B reuses it, and it counts as B's, no longer as A's.
    expect(cache.remember('dpop', 'x-0', T0 + 9000, 'B')).toBe('new');
    // 90 of 100 stored, the last tenth reserved: A holds 9, less than a tenth, and gets it without a purge.
    expect(cache.remember('dpop', 'a-new', T0 + 9000, 'A')).toBe('new');
    expect(cache.entries).toBe(91);
  });

  it('still answers replayed just before expiry, and forgets the jti once it has expired', () => {
    const clock = manualClock();
    const cache = open({ clock, purgeIntervalMs: 1e12 });
    cache.remember('dpop', 'jti-1', T0 + 1000);
    clock.advance(999);
    expect(cache.remember('dpop', 'jti-1', T0 + 5000)).toBe('replayed');
    clock.advance(1);
    // Expired and not yet purged: the entry is reused, and protects the new window.
    expect(cache.remember('dpop', 'jti-1', T0 + 5000)).toBe('new');
    expect(cache.remember('dpop', 'jti-1', T0 + 5000)).toBe('replayed');
    expect(cache.entries).toBe(1);
  });

  it('purges expired entries periodically, not on every call', () => {
    const clock = manualClock();
    const cache = open({ clock, purgeIntervalMs: 10_000 });
    cache.remember('dpop', 'a', T0 + 100);
    cache.remember('dpop', 'b', T0 + 100_000);
    clock.advance(5_000);
    cache.remember('dpop', 'c', T0 + 100_000);
    expect(cache.entries).toBe(3); // 'a' expired, but the purge interval has not elapsed
    clock.advance(5_000);
    cache.remember('dpop', 'd', T0 + 100_000);
    expect(cache.entries).toBe(3); // 'a' purged, 'd' added
  });

  it('refuses every live jti as a replay through growth, purges and shrinking, and forgets no live one', () => {
    const clock = manualClock();
    const cache = open({ clock, purgeIntervalMs: 1e12, maxEntries: 50_000 });
    const lifeOf = (i: number) => 1000 * (1 + (i % 30)); // 1 to 30 s
    for (let i = 0; i < 30_000; i++) expect(cache.remember('dpop', `j${i}`, T0 + lifeOf(i))).toBe('new');
    clock.advance(15_000);
    expect(cache.purge()).toBe(15_000); // those of 1 to 15 s
    expect(cache.entries).toBe(15_000);
    for (let i = 0; i < 30_000; i++) {
      const live = T0 + lifeOf(i) > clock.now();
      expect(cache.remember('dpop', `j${i}`, T0 + lifeOf(i)), `j${i}`).toBe(live ? 'replayed' : 'new');
    }
    clock.advance(60_000);
    expect(cache.purge()).toBe(30_000); // all of them, the ones remembered again included
    expect(cache.remember('dpop', 'j0', clock.now() + 1000)).toBe('new');
    expect(cache.remember('dpop', 'j0', clock.now() + 1000)).toBe('replayed');
  });

  it('takes an expiry before 1970 as expired, without failing', () => {
    const cache = open();
    expect(cache.remember('dpop', 'old', -5000)).toBe('new');
    expect(cache.remember('dpop', 'old', 0)).toBe('new'); // expired: not a replay
    expect(cache.entries).toBe(1);
  });

  it('purge() removes the expired entries now and says how many', () => {
    const clock = manualClock();
    const cache = open({ clock, purgeIntervalMs: 1e12 });
    cache.remember('dpop', 'a', T0 + 1000);
    cache.remember('dpop', 'b', T0 + 2000);
    cache.remember('dpop', 'c', T0 + 60_000);
    expect(cache.purge(T0 + 2000)).toBe(2);
    expect(cache.entries).toBe(1);
    expect(cache.remember('dpop', 'c', T0 + 60_000)).toBe('replayed');
  });

  it('keeps an entry to the end of the second it expires in: up to a second longer, never shorter', () => {
    const clock = manualClock();
    const cache = open({ clock, purgeIntervalMs: 1e12 });
    cache.remember('dpop', 'jti-1', T0 + 100);
    clock.advance(999);
    expect(cache.remember('dpop', 'jti-1', T0 + 60_000)).toBe('replayed');
    expect(cache.purge()).toBe(0);
    clock.advance(1);
    expect(cache.remember('dpop', 'jti-1', T0 + 60_000)).toBe('new');
  });

  it('refuses new jtis when full of live entries, without evicting any (fail closed)', () => {
    const clock = manualClock();
    const cache = open({ clock, maxEntries: 3 });
    for (const jti of ['a', 'b', 'c']) expect(cache.remember('dpop', jti, T0 + 60_000)).toBe('new');
    expect(cache.remember('dpop', 'd', T0 + 60_000)).toBe('full');
    // Nothing was forgotten to make room.
    for (const jti of ['a', 'b', 'c']) expect(cache.remember('dpop', jti, T0 + 60_000)).toBe('replayed');
    expect(cache.remember('dpop', 'd', T0 + 60_000)).toBe('full');
    expect(cache.entries).toBe(3);
  });

  it('makes room again once entries expire', () => {
    const clock = manualClock();
    const cache = open({ clock, maxEntries: 2, purgeIntervalMs: 1e12 });
    cache.remember('dpop', 'a', T0 + 1000);
    cache.remember('dpop', 'b', T0 + 60_000);
    expect(cache.remember('dpop', 'c', T0 + 60_000)).toBe('full');
    clock.advance(1000);
    expect(cache.remember('dpop', 'c', T0 + 60_000)).toBe('new');
    expect(cache.remember('dpop', 'b', T0 + 60_000)).toBe('replayed');
  });

  it('scans for expired entries at most once a second for refused jtis, however many come', () => {
    const clock = manualClock();
    const cache = open({ clock, maxEntries: 2, purgeIntervalMs: 1e12 });
    cache.remember('dpop', 'a', T0 + 500);
    cache.remember('dpop', 'b', T0 + 60_000);
    const purge = vi.spyOn(cache, 'purge');
    for (let i = 0; i < 100; i++) expect(cache.remember('dpop', `flood-${i}`, T0 + 60_000)).toBe('full');
    expect(purge).toHaveBeenCalledTimes(1);
    // 'a' has expired, but the last scan was less than a second ago: still refused, without a scan.
    clock.advance(600);
    expect(cache.remember('dpop', 'c', T0 + 60_000)).toBe('full');
    expect(purge).toHaveBeenCalledTimes(1);
    clock.advance(400);
    expect(cache.remember('dpop', 'c', T0 + 60_000)).toBe('new');
    expect(purge).toHaveBeenCalledTimes(2);
  });

  it('is fast: 10 000 new jtis well under a second, in memory and journaled', () => {
    for (const journalPath of [null, journalIn()]) {
      const cache = open({ journalPath });
      const start = performance.now();
      for (let i = 0; i < 10_000; i++) cache.remember('dpop', `jti-${i}`, T0 + 60_000);
      expect(performance.now() - start).toBeLessThan(1000);
      expect(cache.entries).toBe(10_000);
    }
  });

  it('throws once closed rather than answer without journaling', () => {
    const cache = open({ journalPath: journalIn() });
    cache.close();
    expect(() => cache.remember('dpop', 'late', T0 + 60_000)).toThrow(/closed/);
  });

  describe('journal', () => {
    it('survives a restart: a jti accepted before a crash is still a replay after it', () => {
      const journalPath = journalIn();
      const clock = manualClock();
      // The first instance is never closed: what it accepted must already be in the file.
      expect(open({ journalPath, clock }).remember('dpop', 'jti-1', T0 + 60_000)).toBe('new');

      const restarted = open({ journalPath, clock });
      expect(restarted.entries).toBe(1);
      expect(restarted.remember('dpop', 'jti-1', T0 + 60_000)).toBe('replayed');
      expect(restarted.remember('client_assertion', 'jti-1', T0 + 60_000)).toBe('new');
    });

    it('writes one line per accepted entry: the expiry and a digest of namespace and jti', () => {
      const journalPath = journalIn();
      const cache = open({ journalPath });
      cache.remember('dpop', 'a', T0 + 60_000);
      cache.remember('dpop', 'a', T0 + 60_000); // replayed: nothing written
      const lines = journalLines(journalPath);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^${T0 + 60_000} [A-Za-z0-9_-]{22}$`));
      expect(lines[0]).not.toContain('dpop');
    });

    it('loads the whole-digest lines of earlier builds: their jtis are still replays', () => {
      const journalPath = journalIn();
      const clock = manualClock();
      const digest = (jti: string) => createHash('sha256').update(`dpop\u0000${jti}`).digest('base64url');
      writeFileSync(journalPath, `${T0 + 60_000} ${digest('old-1')}\n${T0 + 60_000} ${digest('old-2')}\n`);
      const cache = open({ journalPath, clock });
      expect(cache.entries).toBe(2);
      expect(cache.remember('dpop', 'old-1', T0 + 60_000)).toBe('replayed');
      expect(cache.remember('dpop', 'old-2', T0 + 60_000)).toBe('replayed');
      expect(cache.remember('dpop', 'new-1', T0 + 60_000)).toBe('new');
    });

    it('does not load expired entries', () => {
      const journalPath = journalIn();
      const clock = manualClock();
      const first = open({ journalPath, clock });
      first.remember('dpop', 'short', T0 + 1000);
      first.remember('dpop', 'long', T0 + 60_000);

      clock.advance(1000);
      const restarted = open({ journalPath, clock });
      expect(restarted.entries).toBe(1);
      expect(restarted.remember('dpop', 'long', T0 + 60_000)).toBe('replayed');
      expect(restarted.remember('dpop', 'short', T0 + 60_000)).toBe('new');
    });

    it('ignores a torn last line and garbage, loads the rest, and starts the next entry on its own line', () => {
      const journalPath = journalIn();
      const clock = manualClock();
      const first = open({ journalPath, clock });
      first.remember('dpop', 'a', T0 + 60_000);
      first.remember('dpop', 'b', T0 + 60_000);
      appendFileSync(journalPath, 'not a journal line\n');
      appendFileSync(journalPath, `${T0 + 60_000} abcdef`); // a write cut short by a crash

      const second = open({ journalPath, clock });
      expect(second.entries).toBe(2);
      expect(second.remember('dpop', 'a', T0 + 60_000)).toBe('replayed');
      expect(second.remember('dpop', 'b', T0 + 60_000)).toBe('replayed');
      expect(second.remember('dpop', 'c', T0 + 60_000)).toBe('new');

      // 'c' was not glued to the torn line: it is still known after another crash.
      const third = open({ journalPath, clock });
      expect(third.entries).toBe(3);
      expect(third.remember('dpop', 'c', T0 + 60_000)).toBe('replayed');
    });

    it('keeps a jti holding newlines, or 10 kB long, to one fixed-size line', () => {
      const journalPath = journalIn();
      const clock = manualClock();
      const cache = open({ journalPath, clock });
      const tricky = ['line\nbreak', '\n', `${T0 + 1} forged\n${T0 + 60_000} x`, 'x'.repeat(10_000)];
      for (const jti of tricky) expect(cache.remember('dpop', jti, T0 + 60_000)).toBe('new');
      for (const jti of tricky) expect(cache.remember('dpop', jti, T0 + 60_000)).toBe('replayed');

      const lines = journalLines(journalPath);
      expect(lines).toHaveLength(tricky.length);
      for (const line of lines) expect(line).toMatch(/^\d+ [A-Za-z0-9_-]{22}$/);

      const restarted = open({ journalPath, clock });
      expect(restarted.entries).toBe(tricky.length);
      for (const jti of tricky) expect(restarted.remember('dpop', jti, T0 + 60_000)).toBe('replayed');
    });

    it('journals a fractional expiry rounded up, so that it loads and is never forgotten early', () => {
      const journalPath = journalIn();
      const clock = manualClock();
      open({ journalPath, clock }).remember('dpop', 'frac', T0 + 1000.25);
      clock.advance(1000);
      const restarted = open({ journalPath, clock });
      expect(restarted.remember('dpop', 'frac', T0 + 60_000)).toBe('replayed');
    });

    it('is readable by its owner only (0600), even when an older file was not', () => {
      const journalPath = journalIn();
      open({ journalPath }).remember('dpop', 'a', T0 + 60_000);
      expect(statSync(journalPath).mode & 0o777).toBe(0o600);

      chmodSync(journalPath, 0o644);
      open({ journalPath });
      expect(statSync(journalPath).mode & 0o777).toBe(0o600);
    });

    it('does not journal a jti refused as full, and still refuses the live ones after a restart', () => {
      const journalPath = journalIn();
      const clock = manualClock();
      const cache = open({ journalPath, clock, maxEntries: 2 });
      cache.remember('dpop', 'a', T0 + 60_000);
      cache.remember('dpop', 'b', T0 + 60_000);
      expect(cache.remember('dpop', 'c', T0 + 60_000)).toBe('full');
      expect(journalLines(journalPath)).toHaveLength(2);

      const restarted = open({ journalPath, clock, maxEntries: 2 });
      expect(restarted.remember('dpop', 'a', T0 + 60_000)).toBe('replayed');
      expect(restarted.remember('dpop', 'b', T0 + 60_000)).toBe('replayed');
      expect(restarted.remember('dpop', 'c', T0 + 60_000)).toBe('full');
    });

    it('names the journal when it cannot be opened (a directory in its place)', () => {
      const journalPath = journalIn();
      mkdirSync(journalPath);
      expect(() => open({ journalPath })).toThrow(
        new RegExp(`^cannot open the replay cache journal ${journalPath}: EISDIR`),
      );
    });
  });

  describe('compaction', () => {
    const fill = (cache: JournaledReplayCache, prefix: string, count: number, expiresAt: number) => {
      for (let i = 0; i < count; i++) cache.remember('dpop', `${prefix}-${i}`, expiresAt);
    };

    it('rewrites a journal of mostly expired lines with the live entries only, which a restart still refuses', () => {
      const journalPath = journalIn();
      const clock = manualClock();
      const cache = open({ journalPath, clock, purgeIntervalMs: 1e12 });
      fill(cache, 'dead', 3000, T0 + 1000);
      fill(cache, 'live', 5, T0 + 60_000);
      expect(journalLines(journalPath)).toHaveLength(3005);
      const before = statSync(journalPath).size;

      clock.advance(1000);
      expect(cache.purge()).toBe(3000);
      expect(journalLines(journalPath)).toHaveLength(5);
      expect(statSync(journalPath).size).toBeLessThan(before / 100);
      expect(statSync(journalPath).mode & 0o777).toBe(0o600);
      for (let i = 0; i < 5; i++) expect(cache.remember('dpop', `live-${i}`, T0 + 60_000)).toBe('replayed');

      // Appends go to the new file.
      expect(cache.remember('dpop', 'after', T0 + 60_000)).toBe('new');
      expect(journalLines(journalPath)).toHaveLength(6);

      const restarted = open({ journalPath, clock });
      expect(restarted.entries).toBe(6);
      for (let i = 0; i < 5; i++)
        expect(restarted.remember('dpop', `live-${i}`, T0 + 60_000)).toBe('replayed');
      expect(restarted.remember('dpop', 'after', T0 + 60_000)).toBe('replayed');
    });

    it('rewrites a journal longer than one write (several chunks) line for line, each live entry once', () => {
      const journalPath = journalIn();
      const clock = manualClock();
      const cache = open({ journalPath, clock, purgeIntervalMs: 1e12 });
      fill(cache, 'live', 5000, T0 + 60_000); // about 190 KB of lines: several chunks of 64 KB
      const liveLines = journalLines(journalPath);
      fill(cache, 'dead', 6000, T0 + 1000);

      clock.advance(1000);
      expect(cache.purge()).toBe(6000);
      const rewritten = journalLines(journalPath);
      expect(rewritten).toHaveLength(5000);
      expect(new Set(rewritten)).toEqual(new Set(liveLines));

      const restarted = open({ journalPath, clock });
      expect(restarted.entries).toBe(5000);
      for (let i = 0; i < 5000; i += 499)
        expect(restarted.remember('dpop', `live-${i}`, T0 + 60_000)).toBe('replayed');
    });

    it('leaves the journal alone while dead lines do not outnumber max(live entries, 1000)', () => {
      const journalPath = journalIn();
      const clock = manualClock();
      const cache = open({ journalPath, clock, purgeIntervalMs: 1e12 });
      fill(cache, 'dead', 1000, T0 + 1000);
      fill(cache, 'live', 5, T0 + 60_000);
      clock.advance(1000);
      expect(cache.purge()).toBe(1000);
      expect(journalLines(journalPath)).toHaveLength(1005); // 1000 dead lines: not more than 1000

      fill(cache, 'dead2', 1, T0 + 1000); // expired already: one more dead line
      cache.purge();
      expect(journalLines(journalPath)).toHaveLength(5);
    });

    it('compacts at start-up a journal that holds many dead lines', () => {
      const journalPath = journalIn();
      const clock = manualClock();
      const first = open({ journalPath, clock, purgeIntervalMs: 1e12 });
      fill(first, 'dead', 2000, T0 + 1000);
      fill(first, 'live', 3, T0 + 60_000);

      clock.advance(1000);
      const restarted = open({ journalPath, clock });
      expect(journalLines(journalPath)).toHaveLength(3);
      expect(restarted.remember('dpop', 'live-0', T0 + 60_000)).toBe('replayed');
    });

    it('replaces a temporary file left by a crash mid-compaction', () => {
      const journalPath = journalIn();
      writeFileSync(`${journalPath}.tmp`, 'stale', { mode: 0o644 });
      const clock = manualClock();
      const cache = open({ journalPath, clock, purgeIntervalMs: 1e12 });
      fill(cache, 'dead', 1001, T0 + 1000);
      clock.advance(1000);
      cache.purge();
      expect(journalLines(journalPath)).toHaveLength(0);
      expect(statSync(journalPath).mode & 0o777).toBe(0o600);
    });
  });

  describe('the former SQLite table', () => {
    const version = (db: ReturnType<typeof openDatabase>) =>
      db
        .prepare<[], { v: number | null }>(
          "SELECT MAX(version) AS v FROM schema_migrations WHERE namespace = 'replay_cache'",
        )
        .get()?.v;
    const hasTable = (db: ReturnType<typeof openDatabase>) =>
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'replay_cache'").get() !==
      undefined;

    it('imports the live rows into the journal, then drops the table (version 2)', () => {
      const dataDir = tempDir();
      const journalPath = journalIn(dataDir);
      const clock = manualClock();
      const db = openDatabase({ dataDir });
      // The database as earlier versions left it: the table of version 1.
      migrate(db, REPLAY_CACHE_NAMESPACE, replayCacheMigrations.slice(0, 1));
      const insert = db.prepare('INSERT INTO replay_cache (namespace, jti, expires_at) VALUES (?, ?, ?)');
      insert.run('dpop', 'live', T0 + 60_000);
      insert.run('dpop', 'expired', T0 - 1);

      const cache = open({ journalPath, clock, legacyDb: db });
      expect(hasTable(db)).toBe(false);
      expect(version(db)).toBe(2);
      expect(cache.remember('dpop', 'live', T0 + 60_000)).toBe('replayed');
      expect(cache.remember('dpop', 'expired', T0 + 60_000)).toBe('new');
      db.close();

      // Journaled: known after a restart, without the table.
      const reopened = openDatabase({ dataDir });
      const restarted = open({ journalPath, clock, legacyDb: reopened });
      expect(restarted.remember('dpop', 'live', T0 + 60_000)).toBe('replayed');
      reopened.close();
    });

    it('leaves a new database at version 2 without the table', () => {
      const db = openDatabase({ dataDir: null });
      open({ legacyDb: db });
      expect(hasTable(db)).toBe(false);
      expect(version(db)).toBe(2);
      db.close();
    });
  });
});
