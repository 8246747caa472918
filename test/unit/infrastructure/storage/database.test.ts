import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../support/temp-dirs';
import { migrate } from '../../../../src/server/infrastructure/sqlite/migrate';
import {
  DATABASE_FILE,
  PAGE_CACHE_KIB,
  WAL_SIZE_LIMIT_BYTES,
  openDatabase,
} from '../../../../src/server/infrastructure/sqlite/open-database';
import { createSqliteRepositories } from '../../../../src/server/infrastructure/sqlite/sqlite-repositories';
import { grant } from './fixtures';

const dirs = tempDirs('trusty-lab-db-');
const tempDir = dirs.make;
afterEach(dirs.removeAll);

describe('openDatabase', () => {
  it('opens an in-memory database for a null dataDir', () => {
    const db = openDatabase({ dataDir: null });
    expect(db.memory).toBe(true);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('creates the data directory owner-only and configures WAL, NORMAL sync, foreign keys, busy timeout', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const db = openDatabase({ dataDir });
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(db.name).toBe(join(dataDir, DATABASE_FILE));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    db.close();
  });

  it("bounds the page cache to SQLite's default, not the 16 MB better-sqlite3 builds in", () => {
    const db = openDatabase({ dataDir: tempDir() });
    expect(PAGE_CACHE_KIB).toBeLessThanOrEqual(4000);
    expect(db.pragma('cache_size', { simple: true })).toBe(-PAGE_CACHE_KIB);
    db.close();
  });

  it('cuts a grown WAL back to its limit when it is next reset', () => {
    const db = openDatabase({ dataDir: tempDir() });
    db.pragma('wal_autocheckpoint = 0'); // as while the checkpointer's worker runs
    db.exec('CREATE TABLE filler (body BLOB NOT NULL)');
    const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 4000; i++) insert.run(Buffer.alloc(4000));
    })();
    const walBytes = () => statSync(`${db.name}-wal`).size;
    expect(walBytes()).toBeGreaterThan(3 * WAL_SIZE_LIMIT_BYTES);
    db.pragma('wal_checkpoint(PASSIVE)');
    insert.run(Buffer.alloc(10)); // the next write resets the WAL, fully checkpointed
    expect(walBytes()).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES);
    db.close();
  });

  it('fails with a clear one-line error when the directory cannot be created', () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    expect(() => openDatabase({ dataDir: join(file, 'data') })).toThrow(
      /^the data directory .* is not writable \(ENOTDIR\)$/,
    );
  });

  it('passes nativeBinding to better-sqlite3', () => {
    expect(() =>
      openDatabase({ dataDir: null, nativeBinding: '/nonexistent/better_sqlite3.node' }),
    ).toThrow();
  });

  it('keeps committed data across close and reopen', () => {
    const dataDir = tempDir();
    const db = openDatabase({ dataDir });
    createSqliteRepositories(db).grants.save(grant());
    db.close();

    const reopened = openDatabase({ dataDir });
    expect(createSqliteRepositories(reopened).grants.find('grant-1')).toStrictEqual(grant());
    reopened.close();
  });
});

describe('migrate', () => {
  const v1 = { version: 1, up: 'CREATE TABLE things (id TEXT PRIMARY KEY)' };
  const v2 = { version: 2, up: 'ALTER TABLE things ADD COLUMN name TEXT' };

  it('applies each migration once, in order, and is idempotent', () => {
    const db = openDatabase({ dataDir: null });
    expect(migrate(db, 'test', [v2, v1])).toEqual([1, 2]);
    expect(migrate(db, 'test', [v1, v2])).toEqual([]);
    db.prepare("INSERT INTO things (id, name) VALUES ('a', 'b')").run();
    const recorded = db
      .prepare("SELECT version FROM schema_migrations WHERE namespace = 'test' ORDER BY version")
      .all();
    expect(recorded).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it('applies only the new migrations of a later release', () => {
    const db = openDatabase({ dataDir: null });
    migrate(db, 'test', [v1]);
    expect(migrate(db, 'test', [v1, v2])).toEqual([2]);
  });

  it('keeps namespaces apart', () => {
    const db = openDatabase({ dataDir: null });
    migrate(db, 'test', [v1, v2]);
    expect(migrate(db, 'other', [{ version: 1, up: 'CREATE TABLE other_things (id TEXT)' }])).toEqual([1]);
  });

  it('refuses a database whose schema is newer than the code knows', () => {
    const db = openDatabase({ dataDir: null });
    migrate(db, 'test', [v1, v2]);
    expect(() => migrate(db, 'test', [v1])).toThrow(
      /schema "test" is at version 2, newer than this program knows \(1\)/,
    );
  });

  it('rolls back a failing migration with its record', () => {
    const db = openDatabase({ dataDir: null });
    const broken = { version: 2, up: 'CREATE TABLE half (id TEXT); SELECT * FROM no_such_table' };
    expect(() => migrate(db, 'test', [v1, broken])).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    expect(migrate(db, 'test', [v1, v2])).toEqual([2]);
  });

  it('refuses duplicate or invalid versions', () => {
    const db = openDatabase({ dataDir: null });
    expect(() => migrate(db, 'test', [v1, { version: 1, up: '' }])).toThrow(/invalid migration version/);
    expect(() => migrate(db, 'test', [{ version: 0, up: '' }])).toThrow(/invalid migration version/);
  });

  it('runs the provider migrations idempotently', () => {
    const db = openDatabase({ dataDir: null });
    createSqliteRepositories(db);
    expect(() => createSqliteRepositories(db)).not.toThrow();
  });
});
