import {
  closeSync,
  fchmodSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { ReplayCache } from '../../application/ports';
import { systemClock, type Clock } from '../../domain/clock';
import { sha256 } from '../../domain/sha256';
import { migrate, type Migration } from '../sqlite/migrate';
import { JtiTable } from './jti-table';
import { LF, MAX_JOURNAL_LINE_BYTES, writeJournalLine } from './journal-line';

/** The migration namespace of the table that held the cache before the journal (now dropped). */
export const REPLAY_CACHE_NAMESPACE = 'replay_cache';

export const replayCacheMigrations: readonly Migration[] = [
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
  // The entries live in the journal now; version 2 runs once they have been copied there.
  { version: 2, up: 'DROP TABLE IF EXISTS replay_cache;' },
];

export interface JournaledReplayCacheOptions {
  /** The append-only journal file; null keeps the cache in memory only (tests, `--in-memory`). */
  readonly journalPath: string | null;
  readonly clock?: Clock;
  /** Hard cap on stored entries; past it, new `jti`s are refused ('full'), never a live one evicted. */
  readonly maxEntries?: number;
  /** Purge expired entries at most this often (ms) in the normal course; also whenever the cap is hit. */
  readonly purgeIntervalMs?: number;
  /**
   * The lab's database: live rows of the former `replay_cache` table, if any, are copied into the
   * journal, then the table is dropped (migration 2 of the `replay_cache` namespace).
   */
  readonly legacyDb?: Database;
}

export const DEFAULT_MAX_ENTRIES = 100_000;
/**
 * The share of the cache kept for the clients that hold less than as much: once only this share is
 * left, a client holding that many entries or more is refused. Without it, one client sending fresh
 * proofs as fast as it can filled the cache, and every client's DPoP proofs and assertions were
 * refused with it; with it, even several such clients leave the last tenth to the others.
 */
const RESERVED_SHARE = 0.1;
const DEFAULT_PURGE_INTERVAL_MS = 60_000;
/**
 * A refused entry purges what has expired at most this often: a client refused again and again must
 * not make each of its requests scan the whole cache (100,000 entries).
 */
const MIN_FORCED_PURGE_INTERVAL_MS = 1000;
/** Dead lines tolerated in the journal beyond one per live entry before it is rewritten. */
const MIN_DEAD_LINES_BEFORE_COMPACTION = 1000;
/** Compaction writes the journal's new text in writes of up to this many bytes. */
const COMPACTION_CHUNK_BYTES = 64 * 1024;

/**
 * `${expiresAt} ${key}`: an integer of milliseconds, then the key (22 characters), or the whole
 * base64url SHA-256 (43 characters) that earlier builds wrote, of which `load` keeps the first 128
 * bits. (A build before the short keys skips their lines: going back to one forgets the entries
 * journaled since.)
 */
const JOURNAL_LINE = /^(-?\d{1,16}) ([A-Za-z0-9_-]{43}|[A-Za-z0-9_-]{22})$/;

/**
 * The jti is chosen by the client, of any length and content: the key is a fixed-size digest, which
 * bounds the memory and journal space of an entry and can never break the journal's line format.
 * The first 128 bits of a SHA-256 (KEY_BYTES; 22 characters of base64url in the journal): the same
 * jti always gives the same key, so a replay is always found; two jtis that shared a key would only
 * refuse the second, and finding such a pair takes about 2^64 hashes.
 */
const keyOf = (namespace: string, jti: string): Buffer => sha256(`${namespace}\u0000${jti}`);

/** A key as journaled (22 characters, or the whole digest's 43 that earlier builds wrote). */
const keyFromText = (text: string): Buffer => Buffer.from(text, 'base64url');

/**
 * How many clients entries can be charged to; the ones after are charged to nobody, as entries read
 * back from the journal are. An entry's value is its expiry and its client's slot in one number
 * (`packed`): a Map of the client of each entry beside it cost 35 bytes an entry.
 */
const CLIENT_SLOTS = 65_536;
const NOBODY = 0;
/** The latest expiry a packed value holds exactly, in seconds (about the year 6300). */
const LATEST_PACKED_SECONDS = Math.floor(Number.MAX_SAFE_INTEGER / CLIENT_SLOTS) - 1;

/**
 * An expiry (ms) and a client's slot as one number, the expiry rounded up to the whole second: an
 * entry may be kept up to a second longer than it must, never shorter. (One before 1970 is kept as
 * one second past it: expired all the same, and the number positive, as the table needs.)
 */
const packed = (expires: number, slot: number): number =>
  Math.min(Math.max(1, Math.ceil(expires / 1000)), LATEST_PACKED_SECONDS) * CLIENT_SLOTS + slot;

/** The expiry (ms) of a packed value. */
const expiryOf = (value: number): number => Math.floor(value / CLIENT_SLOTS) * 1000;

/** The client slot of a packed value. */
const clientSlotOf = (value: number): number => value % CLIENT_SLOTS;

/**
 * One-time identifiers (DPoP proof `jti`, RFC 9449 §11.1; client assertion `jti`, RFC 7523 §3 (7)),
 * kept so that a crash and restart cannot open a window for a replay. Unlike an LRU it never forgets
 * an entry before it expires: when full of live entries it fails closed. Its last tenth is kept for
 * the clients that hold less than a tenth of it (RESERVED_SHARE), so that a client sending fresh jtis
 * as fast as it can, or a few of them, cannot fill it for all.
 *
 * The entries live in a table outside V8's heap (jti-table.ts: 24 bytes a slot, 3 MB for 100,000
 * entries); each accepted one is appended to a journal file (one line, written with a single `write`
 * before `remember` answers 'new'), so it is in the OS page cache before any response is sent: it
 * survives a process crash (kill -9), as a SQLite WAL commit with synchronous=NORMAL does; only an OS
 * crash or power loss may lose the last entries. On start the journal is read back (expired entries
 * and a torn last line skipped), and it is rewritten with the live entries only once it holds many
 * dead lines.
 */
export class JournaledReplayCache implements ReplayCache {
  private readonly journalPath: string | null;
  private readonly clock: Clock;
  private readonly maxEntries: number;
  private readonly purgeIntervalMs: number;
  /** Key → its expiry and the slot of the client it is charged to (`packed`), live or awaiting purge. */
  private readonly table = new JtiTable();
  /**
   * Each client's slot, each slot's client, and how many entries each client holds. Kept in memory
   * only: entries read back from the journal after a restart are charged to nobody.
   */
  private readonly slots = new Map<string, number>();
  private readonly clientInSlot: string[] = [''];
  private readonly held = new Map<string, number>();
  /** Entries kept for clients that hold fewer entries than that (RESERVED_SHARE). */
  private readonly reserved: number;
  /** The journal, opened for appending; undefined when memory-only, closed, or to be reopened. */
  private fd: number | undefined;
  private closed = false;
  /** Lines in the journal (valid or not), counted as they are written: never re-read to decide. */
  private lines = 0;
  /** The journal ends in a partial line (a crash mid-write): the next entry starts a new line. */
  private tornTail = false;
  private nextPurgeAt = 0;
  private nextForcedPurgeAt = 0;
  /** The bytes of the line being journaled: an LF that ends a torn line, then the line. */
  private readonly line = Buffer.allocUnsafe(1 + MAX_JOURNAL_LINE_BYTES);

  constructor(options: JournaledReplayCacheOptions) {
    this.journalPath = options.journalPath;
    this.clock = options.clock ?? systemClock;
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.reserved = Math.floor(this.maxEntries * RESERVED_SHARE);
    this.purgeIntervalMs = options.purgeIntervalMs ?? DEFAULT_PURGE_INTERVAL_MS;
    const now = this.clock.now();
    if (this.journalPath !== null) {
      try {
        this.load(this.journalPath, now);
        this.fd = this.openJournal(this.journalPath);
      } catch (e) {
        // Node's words for a directory there ("EISDIR: illegal operation on a directory, read") name no file.
        throw new Error(`cannot open the replay cache journal ${this.journalPath}: ${(e as Error).message}`, {
          cause: e,
        });
      }
    }
    try {
      if (options.legacyDb) this.importLegacyTable(options.legacyDb, now);
      if (this.hasManyDeadLines()) this.compact();
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /** `clientId` may be left out by tests of the cache alone: such entries are charged to nobody. */
  remember(
    namespace: string,
    jti: string,
    expiresAt: number,
    clientId?: string,
  ): 'new' | 'replayed' | 'full' {
    if (this.closed) throw new Error('the replay cache is closed');
    const expires = journalTime(expiresAt);
    const now = this.clock.now();
    if (now >= this.nextPurgeAt) this.purge(now);

    const key = keyOf(namespace, jti);
    const entry = this.table.get(key);
    const known = entry === undefined ? undefined : expiryOf(entry);
    if (known !== undefined && known > now) return 'replayed';
    // An entry that has expired but not been purged yet no longer proves anything: it is reused.
    if (known === undefined && this.refuses(clientId)) {
      // Make room only from what has expired; if that is not enough, refuse rather than forget.
      if (now < this.nextForcedPurgeAt) return 'full';
      this.nextForcedPurgeAt = now + MIN_FORCED_PURGE_INTERVAL_MS;
      this.purge(now);
      if (this.refuses(clientId)) return 'full';
    }

    const slot = this.slotFor(clientId);
    this.append(expires, key);
    if (entry !== undefined) this.release(entry); // an expired entry reused: charged to whoever uses it now
    this.table.set(key, packed(expires, slot));
    if (slot !== NOBODY) this.held.set(clientId as string, (this.held.get(clientId as string) ?? 0) + 1);
    return 'new';
  }

  /**
   * No room for one more entry of `clientId`: the cache is full, or only its reserve is left and
   * `clientId` holds as many entries as the reserve or more.
   */
  private refuses(clientId: string | undefined): boolean {
    if (this.table.size >= this.maxEntries) return true;
    if (clientId === undefined || this.table.size < this.maxEntries - this.reserved) return false;
    return (this.held.get(clientId) ?? 0) >= this.reserved;
  }

  /** The slot `clientId` is charged in; NOBODY without a client, or once every slot is taken. */
  private slotFor(clientId: string | undefined): number {
    if (clientId === undefined) return NOBODY;
    const known = this.slots.get(clientId);
    if (known !== undefined) return known;
    if (this.clientInSlot.length >= CLIENT_SLOTS) return NOBODY;
    const slot = this.clientInSlot.length;
    this.clientInSlot.push(clientId);
    this.slots.set(clientId, slot);
    return slot;
  }

  /** Gives the entry's share back to the client it was charged to. */
  private release(value: number): void {
    const slot = clientSlotOf(value);
    if (slot === NOBODY) return;
    const clientId = this.clientInSlot[slot] as string;
    const count = (this.held.get(clientId) ?? 1) - 1;
    if (count > 0) this.held.set(clientId, count);
    else this.held.delete(clientId);
  }

  /** Deletes expired entries now; returns how many. Rewrites the journal when mostly dead. */
  purge(now: number = this.clock.now()): number {
    const removed = this.table.deleteWhere(
      (value) => expiryOf(value) <= now,
      (value) => this.release(value),
    );
    this.nextPurgeAt = now + this.purgeIntervalMs;
    if (this.hasManyDeadLines()) this.compact();
    return removed;
  }

  /** Entries stored, live or awaiting purge. */
  get entries(): number {
    return this.table.size;
  }

  /** Closes the journal; `remember` throws afterwards. */
  close(): void {
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private load(path: string, now: number): void {
    let text: string;
    try {
      text = readFileSync(path, 'latin1');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    if (text === '') return;
    this.tornTail = !text.endsWith('\n');
    const lines = text.split('\n');
    if (!this.tornTail) lines.pop(); // the empty string after the final newline
    this.lines = lines.length;
    for (const line of lines) {
      const match = JOURNAL_LINE.exec(line);
      if (!match) continue; // torn by a crash mid-write, or not ours
      const expires = Number(match[1]);
      if (expires > now) this.keepLonger(keyFromText(match[2] as string), expires);
    }
  }

  private importLegacyTable(db: Database, now: number): void {
    const table = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'replay_cache'")
      .get();
    if (table !== undefined) {
      const rows = db
        .prepare<[number], { namespace: string; jti: string; expires_at: number }>(
          'SELECT namespace, jti, expires_at FROM replay_cache WHERE expires_at > ?',
        )
        .iterate(now);
      for (const row of rows) {
        const key = keyOf(row.namespace, row.jti);
        const expires = journalTime(row.expires_at);
        // Journaled before the table is dropped: a crash in between imports them again, harmlessly.
        this.append(expires, key);
        this.keepLonger(key, expires);
      }
    }
    migrate(db, REPLAY_CACHE_NAMESPACE, replayCacheMigrations);
  }

  /** Read back (journal, former table): charged to nobody. */
  private keepLonger(key: Buffer, expires: number): void {
    const known = this.table.get(key);
    if (known === undefined || expiryOf(known) < expires) this.table.set(key, packed(expires, NOBODY));
  }

  /** Journals the entry of `key` expiring at `expires`: one line (journal-line.ts), one write. */
  private append(expires: number, key: Buffer): void {
    if (this.journalPath === null) return;
    this.fd ??= this.openJournal(this.journalPath);
    const bytes = this.line;
    let length = 0;
    if (this.tornTail) bytes[length++] = LF;
    length += writeJournalLine(bytes, length, expires, key);
    let written = 0;
    try {
      while (written < length) written += writeSync(this.fd, bytes, written, length - written);
    } catch (e) {
      // A partial line may be on disk (counted as a line): the next entry starts a line of its own.
      if (written > 0) {
        this.tornTail = true;
        this.lines += 1;
      }
      throw e;
    }
    this.tornTail = false;
    this.lines += 1;
  }

  private openJournal(path: string): number {
    const fd = openSync(path, 'a', 0o600);
    try {
      fchmodSync(fd, 0o600); // also when an older file had wider permissions
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    return fd;
  }

  private hasManyDeadLines(): boolean {
    const live = this.table.size;
    return this.journalPath !== null && this.lines - live > Math.max(live, MIN_DEAD_LINES_BEFORE_COMPACTION);
  }

  /** Rewrites the journal with the entries in memory: a new file, then renamed over the old one. */
  private compact(): void {
    const path = this.journalPath;
    if (path === null || this.closed) return;
    const tmp = `${path}.tmp`;
    rmSync(tmp, { force: true }); // left by a crash mid-compaction, perhaps with other permissions
    const tmpFd = openSync(tmp, 'wx', 0o600);
    try {
      // Written a chunk at a time: the whole text of a full cache (about 4 MB, one string of 100,000
      // pieces, then its bytes) was garbage that only a full collection frees, and under sustained
      // load (client_credentials at 16 connections) a compaction comes every 10–20 s.
      const chunk = Buffer.allocUnsafe(COMPACTION_CHUNK_BYTES);
      let used = 0;
      const writeChunk = () => {
        let written = 0;
        while (written < used) written += writeSync(tmpFd, chunk, written, used - written);
        used = 0;
      };
      this.table.forEach((key, value) => {
        if (used + MAX_JOURNAL_LINE_BYTES > chunk.length) writeChunk();
        used += writeJournalLine(chunk, used, expiryOf(value), key);
      });
      writeChunk();
      // Durable before it replaces the journal: a power loss must not leave an empty journal.
      fsyncSync(tmpFd);
    } catch (e) {
      closeSync(tmpFd);
      rmSync(tmp, { force: true });
      throw e;
    }
    closeSync(tmpFd);
    renameSync(tmp, path);
    // The old descriptor writes to the replaced file: the next entry reopens the journal (append).
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.lines = this.table.size;
    this.tornTail = false;
  }
}

/** Whole milliseconds, rounded up (never earlier): a NumericDate `iat`/`exp` may carry a fraction. */
function journalTime(expiresAt: number): number {
  const ms = Math.ceil(expiresAt);
  if (!Number.isSafeInteger(ms)) throw new RangeError(`invalid replay cache expiry: ${expiresAt}`);
  return ms;
}
