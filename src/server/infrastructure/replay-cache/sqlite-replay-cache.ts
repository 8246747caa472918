import type { Database, Statement } from 'better-sqlite3';
import type { ReplayCache } from '../../application/ports';
import { systemClock, type Clock } from '../../domain/clock';
import { migrate, type Migration } from '../sqlite/migrate';

export const REPLAY_CACHE_NAMESPACE = 'replay_cache';

const replayCacheMigrations: readonly Migration[] = [
  {
    version: 1,
    up: `
      CREATE TABLE replay_cache (
        namespace TEXT NOT NULL,
        jti TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (namespace, jti)
      ) WITHOUT ROWID;
      CREATE INDEX replay_cache_expires_at ON replay_cache (expires_at);
    `,
  },
];

export interface SqliteReplayCacheOptions {
  readonly clock?: Clock;
  /** Hard cap on stored entries; past it, new `jti`s are refused ('full'), never a live one evicted. */
  readonly maxEntries?: number;
  /** Purge expired entries at most this often (ms) in the normal course; also whenever the cap is hit. */
  readonly purgeIntervalMs?: number;
}

export const DEFAULT_MAX_ENTRIES = 100_000;
const DEFAULT_PURGE_INTERVAL_MS = 60_000;

/**
 * One-time identifiers (DPoP proof `jti`, RFC 9449 §11.1; client assertion `jti`, RFC 7523 §3 (7)),
 * kept in SQLite so that a crash and restart cannot open a window for a replay. Unlike an LRU it
 * never forgets an entry before it expires: when full of live entries it fails closed.
 */
export class SqliteReplayCache implements ReplayCache {
  private readonly clock: Clock;
  private readonly maxEntries: number;
  private readonly purgeIntervalMs: number;
  private readonly insert: Statement<[string, string, number]>;
  private readonly reuseExpired: Statement<[number, string, string, number]>;
  private readonly isLive: Statement<[string, string, number]>;
  private readonly deleteExpired: Statement<[number]>;
  private readonly countAll: Statement<[], { n: number }>;
  /** Rows in the table (live or not yet purged); kept in step with every insert and purge. */
  private size: number;
  private nextPurgeAt = 0;

  constructor(db: Database, options: SqliteReplayCacheOptions = {}) {
    migrate(db, REPLAY_CACHE_NAMESPACE, replayCacheMigrations);
    this.clock = options.clock ?? systemClock;
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.purgeIntervalMs = options.purgeIntervalMs ?? DEFAULT_PURGE_INTERVAL_MS;
    this.insert = db.prepare(
      'INSERT OR IGNORE INTO replay_cache (namespace, jti, expires_at) VALUES (?, ?, ?)',
    );
    // An entry that has expired but not been purged yet no longer proves anything: reuse it.
    this.reuseExpired = db.prepare(
      'UPDATE replay_cache SET expires_at = ? WHERE namespace = ? AND jti = ? AND expires_at <= ?',
    );
    this.isLive = db.prepare('SELECT 1 FROM replay_cache WHERE namespace = ? AND jti = ? AND expires_at > ?');
    this.deleteExpired = db.prepare('DELETE FROM replay_cache WHERE expires_at <= ?');
    this.countAll = db.prepare('SELECT COUNT(*) AS n FROM replay_cache');
    this.size = this.countAll.get()?.n ?? 0;
  }

  remember(namespace: string, jti: string, expiresAt: number): 'new' | 'replayed' | 'full' {
    const now = this.clock.now();
    if (now >= this.nextPurgeAt) this.purge(now);

    if (this.size >= this.maxEntries) {
      // Make room only from what has expired; if that is not enough, refuse rather than forget.
      this.purge(now);
      // Exact count under pressure (another connection may share the table).
      this.size = this.countAll.get()?.n ?? 0;
      if (this.size >= this.maxEntries) {
        return this.isLive.get(namespace, jti, now) ? 'replayed' : 'full';
      }
    }

    if (this.insert.run(namespace, jti, expiresAt).changes === 1) {
      this.size += 1;
      return 'new';
    }
    return this.reuseExpired.run(expiresAt, namespace, jti, now).changes === 1 ? 'new' : 'replayed';
  }

  /** Deletes expired entries now; returns how many. */
  purge(now: number = this.clock.now()): number {
    const removed = this.deleteExpired.run(now).changes;
    this.size = Math.max(0, this.size - removed);
    this.nextPurgeAt = now + this.purgeIntervalMs;
    return removed;
  }

  /** Entries stored, live or awaiting purge. */
  get entries(): number {
    return this.size;
  }
}
