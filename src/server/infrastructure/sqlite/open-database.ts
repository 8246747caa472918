import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { labMigrations } from '../../lab/recording-migrations';
import { makeDirectory } from '../make-directory';
import { KEYS_NAMESPACE, keyMigrations } from '../keys/key-migrations';
import { REPLAY_CACHE_NAMESPACE, replayCacheMigrations } from '../replay-cache/journaled-replay-cache';
import { refuseNewerSchemas, type Migration } from './migrate';
import { PROVIDER_NAMESPACE, providerMigrations } from './provider-migrations';

export type { Database } from 'better-sqlite3';

export const DATABASE_FILE = 'trusty-lab.db';

/**
 * The `PRAGMA application_id` of the lab's database, "TRLB" in ASCII: SQLite keeps it at offset 68 of
 * the file's header so that an application can tell its own databases from any other SQLite file.
 * Not one of the ids listed in SQLite's magic.txt (Fossil, BeSQLite, GeoPackage, Esri, MBTiles,
 * TeXnicard, Monotone).
 */
export const LAB_APPLICATION_ID = 0x54524c42;

/** Every schema the lab keeps in its database, by migration namespace. */
const LAB_SCHEMAS: ReadonlyMap<string, readonly Migration[]> = new Map([
  [PROVIDER_NAMESPACE, providerMigrations],
  [KEYS_NAMESPACE, keyMigrations],
  [REPLAY_CACHE_NAMESPACE, replayCacheMigrations],
  ['lab', labMigrations],
]);

/** Most KiB of database pages a connection keeps in memory (SQLite's own default). */
export const PAGE_CACHE_KIB = 2000;
/** The size the WAL file is cut back to when it is reset: what SQLite's automatic checkpoints keep it under. */
export const WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

export interface OpenDatabaseOptions {
  /** Directory of `trusty-lab.db`; null for a throwaway in-memory database. */
  readonly dataDir: string | null;
  /** Path of a better-sqlite3 binary built for this runtime (Electron's ABI differs from Node's). */
  readonly nativeBinding?: string;
  /** Only to read an existing database (a running lab may be writing it): it is never written to. */
  readonly readonly?: boolean;
}

/**
 * Opens the lab's database. The directory holds signing keys and hashed handles, so it is created
 * owner-only (0700). WAL with synchronous=NORMAL: a commit survives a process crash (kill -9); only
 * an OS crash or power loss may lose the last transactions, acceptable for a lab.
 *
 * Every command and the provider open the database here, so that none of them adopts a file that is
 * not the lab's, or one a newer version of the lab has written: both are refused before anything
 * is written to them.
 */
export function openDatabase({
  dataDir,
  nativeBinding,
  readonly = false,
}: OpenDatabaseOptions): Database.Database {
  const options: Database.Options = {
    ...(nativeBinding ? { nativeBinding } : {}),
    ...(readonly ? { readonly, fileMustExist: true } : {}),
  };
  if (dataDir === null) return openLabDatabase(new Database(':memory:', options), ':memory:', readonly);

  if (!readonly) ensureWritableDirectory(dataDir);
  const path = join(dataDir, DATABASE_FILE);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, options);
    return openLabDatabase(db, path, readonly);
  } catch (e) {
    db?.close();
    if (e instanceof NotLabDatabaseError) throw e;
    throw new Error(`cannot open the database ${path}: ${(e as Error).message}`, { cause: e });
  }
}

/** A database file that belongs to another program, or is no SQLite database at all. */
export class NotLabDatabaseError extends Error {
  constructor(path: string, reason: string) {
    super(`${path} is not a TRusTY Lab database (${reason}); use another data directory`);
  }
}

function openLabDatabase(db: Database.Database, path: string, readonly: boolean): Database.Database {
  const unstamped = checkLabDatabase(db, path);
  refuseNewerSchemas(db, LAB_SCHEMAS);
  if (readonly) return configureConnection(db);
  configure(db);
  // Once it is known to be the lab's: from now on the file says whose it is.
  if (unstamped) db.pragma(`application_id = ${LAB_APPLICATION_ID}`);
  return db;
}

/**
 * Refuses a database that is not the lab's, reading only. The lab's has the lab's application_id, or
 * none yet (0, SQLite's default) and then is empty (a new file) or holds the lab's schema_migrations
 * table, as versions of the lab that did not stamp their database left it. Returns whether it is
 * still to be stamped.
 */
function checkLabDatabase(db: Database.Database, path: string): boolean {
  let id: number;
  try {
    id = db.pragma('application_id', { simple: true }) as number;
  } catch (e) {
    // SQLite reads the header only now: "file is not a database" does not say which file.
    if ((e as { code?: string }).code === 'SQLITE_NOTADB') {
      throw new NotLabDatabaseError(path, 'it is not an SQLite file');
    }
    throw e;
  }
  if (id === LAB_APPLICATION_ID) return false;
  if (id !== 0) {
    throw new NotLabDatabaseError(path, `its SQLite application_id is 0x${(id >>> 0).toString(16)}`);
  }
  const names = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )
    .all()
    .map((row) => row.name);
  if (names.length > 0 && !hasLabMigrationsTable(db)) {
    throw new NotLabDatabaseError(
      path,
      `it holds ${names.slice(0, 3).join(', ')}${names.length > 3 ? '…' : ''}`,
    );
  }
  return true;
}

/** schema_migrations as migrate.ts makes it (other programs have tables of that name too, Rails). */
function hasLabMigrationsTable(db: Database.Database): boolean {
  const columns = db.pragma('table_info(schema_migrations)') as { name: string }[];
  const names = new Set(columns.map((c) => c.name));
  return ['namespace', 'version', 'applied_at'].every((name) => names.has(name));
}

function ensureWritableDirectory(dataDir: string): void {
  try {
    makeDirectory(dataDir, 0o700);
    accessSync(dataDir, constants.W_OK | constants.X_OK);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new Error(`the data directory ${dataDir} is not writable (${reason})`, { cause: e });
  }
}

function configure(db: Database.Database): Database.Database {
  db.pragma('journal_mode = WAL');
  return configureConnection(db);
}

/** What lasts only as long as the connection (journal_mode = WAL is written to the file). */
function configureConnection(db: Database.Database): Database.Database {
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Another connection (the recording store, a CLI export) may hold the write lock briefly.
  db.pragma('busy_timeout = 5000');
  // better-sqlite3 builds SQLite with a 16 MB page cache per connection (SQLITE_DEFAULT_CACHE_SIZE=-16000)
  // instead of SQLite's own 2 MB. The provider's tables are small and the lab only appends to its
  // recordings, so a larger cache only fills with recording pages written once: under bench load it
  // put about 14 MB on the server's RSS, and made no request faster (one A/B run of the token
  // scenarios was 4-17% slower with it).
  db.pragma(`cache_size = ${-PAGE_CACHE_KIB}`);
  // Under sustained writes (the capture at full load) the WAL is never reset, since the checkpointer
  // never catches up with the writer: it grew by about 15 MB a second. Its file keeps that size once
  // the load stops unless it is truncated when it is next reset (after a complete checkpoint).
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  return db;
}
