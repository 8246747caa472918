import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../support/temp-dirs';
import {
  DATABASE_FILE,
  LAB_APPLICATION_ID,
  openDatabase,
} from '../../../../src/server/infrastructure/sqlite/open-database';
import { createSqliteRepositories } from '../../../../src/server/infrastructure/sqlite/sqlite-repositories';

const dirs = tempDirs('trusty-lab-db-guards-');
afterEach(dirs.removeAll);

/** A data directory whose `trusty-lab.db` another program made with `sql`. */
function dataDirWith(sql: string): { dir: string; file: string } {
  const dir = dirs.make();
  const file = join(dir, DATABASE_FILE);
  const db = new Database(file);
  db.exec(sql);
  db.close();
  return { dir, file };
}

const applicationId = (file: string): number => {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('application_id', { simple: true }) as number;
  } finally {
    db.close();
  }
};

/** Every file of the directory with its bytes: what a refusal must leave as it was. */
const snapshot = (dir: string) => readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]);

describe("openDatabase: only the lab's database", () => {
  it('stamps a database it creates with the lab application_id, and opens it again', () => {
    const dir = dirs.make();
    createSqliteRepositories(openDatabase({ dataDir: dir })).grants.find('x');
    expect(LAB_APPLICATION_ID).toBe(0x54524c42); // "TRLB"
    expect(applicationId(join(dir, DATABASE_FILE))).toBe(LAB_APPLICATION_ID);
    openDatabase({ dataDir: dir }).close();
  });

  it('adopts and stamps a database an earlier version of the lab made (no application_id yet)', () => {
    const dir = dirs.make();
    const earlier = new Database(join(dir, DATABASE_FILE));
    createSqliteRepositories(earlier);
    earlier.close();
    expect(applicationId(join(dir, DATABASE_FILE))).toBe(0);

    openDatabase({ dataDir: dir }).close();
    expect(applicationId(join(dir, DATABASE_FILE))).toBe(LAB_APPLICATION_ID);
  });

  it('adopts an empty file or an empty SQLite database', () => {
    const { dir, file } = dataDirWith('PRAGMA user_version = 0');
    openDatabase({ dataDir: dir }).close();
    expect(applicationId(file)).toBe(LAB_APPLICATION_ID);

    const emptyFile = dirs.make();
    writeFileSync(join(emptyFile, DATABASE_FILE), '');
    openDatabase({ dataDir: emptyFile }).close();
    expect(applicationId(join(emptyFile, DATABASE_FILE))).toBe(LAB_APPLICATION_ID);
  });

  it.each([
    ['tables of its own', 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)'],
    ['a schema_migrations table of its own (Rails)', 'CREATE TABLE schema_migrations (version TEXT)'],
    ['another application_id, even empty', 'PRAGMA application_id = 1196444487'], // GeoPackage
  ])("refuses another program's database (%s), naming it, and writes nothing", (_, sql) => {
    const { dir, file } = dataDirWith(sql);
    const before = snapshot(dir);
    expect(() => openDatabase({ dataDir: dir })).toThrow(
      new RegExp(`^${file} is not a TRusTY Lab database \\(.+\\); use another data directory$`),
    );
    expect(() => openDatabase({ dataDir: dir, readonly: true })).toThrow(
      `${file} is not a TRusTY Lab database`,
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses a file that is not SQLite at all, naming it', () => {
    const dir = dirs.make();
    const file = join(dir, DATABASE_FILE);
    writeFileSync(file, 'not a database, only text that is long enough to look at');
    const before = snapshot(dir);
    expect(() => openDatabase({ dataDir: dir })).toThrow(
      `${file} is not a TRusTY Lab database (it is not an SQLite file)`,
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it('reads a database without stamping it when asked to open it read-only', () => {
    const dir = dirs.make();
    const earlier = new Database(join(dir, DATABASE_FILE));
    createSqliteRepositories(earlier);
    earlier.close();
    const before = snapshot(dir);
    openDatabase({ dataDir: dir, readonly: true }).close();
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('openDatabase: not a database a newer version of the lab wrote', () => {
  /** A lab database (closed, so all in the main file) with `namespace` recorded at `version`. */
  function labDataDirAt(namespace: string, version: number): string {
    const dir = dirs.make();
    const db = openDatabase({ dataDir: dir });
    createSqliteRepositories(db);
    db.prepare('INSERT INTO schema_migrations (namespace, version, applied_at) VALUES (?, ?, 0)').run(
      namespace,
      version,
    );
    db.close();
    return dir;
  }

  it.each(['provider', 'keys', 'replay_cache', 'lab'])(
    'refuses one whose "%s" schema is newer than this program knows, before writing anything',
    (namespace) => {
      const dir = labDataDirAt(namespace, 999);
      const before = snapshot(dir);
      expect(() => openDatabase({ dataDir: dir })).toThrow(
        `cannot open the database ${join(dir, DATABASE_FILE)}: the database schema "${namespace}" is at version 999, newer than this program knows`,
      );
      expect(snapshot(dir)).toEqual(before);
      // (A read-only connection to a WAL database leaves SQLite's -shm and -wal files: not compared.)
      expect(() => openDatabase({ dataDir: dir, readonly: true })).toThrow(
        `"${namespace}" is at version 999`,
      );
    },
  );

  it('refuses one holding a schema this program does not know at all (a newer version added it)', () => {
    const dir = labDataDirAt('future_store', 1);
    expect(() => openDatabase({ dataDir: dir })).toThrow(
      'the database schema "future_store" is at version 1, newer than this program knows (0)',
    );
  });
});
