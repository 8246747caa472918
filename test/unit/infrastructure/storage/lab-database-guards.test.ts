import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../support/temp-dirs';
import { DATABASE_FILE, openDatabase } from '../../../../src/server/infrastructure/sqlite/open-database';
import { createSqliteRepositories } from '../../../../src/server/infrastructure/sqlite/sqlite-repositories';

const dirs = tempDirs('trusty-lab-db-guards-');
afterEach(dirs.removeAll);

/** Every file of the directory with its bytes: what a refusal must leave as it was. */
const snapshot = (dir: string) => readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]);

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
