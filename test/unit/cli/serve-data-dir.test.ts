import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runServeCommand } from '../../../src/cli/commands/serve';
import { DATABASE_FILE, openDatabase } from '../../../src/server/infrastructure/sqlite/open-database';
import { createSqliteRepositories } from '../../../src/server/infrastructure/sqlite/sqlite-repositories';
import { commandIo as io } from '../../support/command-io';
import { tempDirs } from '../../support/temp-dirs';

const dirs = tempDirs('serve-data-dir-');
afterEach(dirs.removeAll);

/** Every file of the directory with its bytes: what a refusal must leave as it was. */
const snapshot = (dir: string) => readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]);

/** `trusty-lab serve` on `dir`, expected to refuse it: its exit code and its one line on stderr. */
async function serveRefusing(dir: string): Promise<{ code: number; err: string }> {
  const t = io();
  const code = await runServeCommand(['--data', dir, '--port', '0', '--lab-port', '0'], t.io);
  return { code, err: t.err() };
}

describe('trusty-lab serve --data DIR: what it refuses to start on (exit 1), naming the path', () => {
  it("another program's database, leaving the directory as it was", async () => {
    const dir = dirs.make();
    const file = join(dir, DATABASE_FILE);
    const db = new Database(file);
    db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')");
    db.close();
    const before = snapshot(dir);
    expect(await serveRefusing(dir)).toEqual({
      code: 1,
      err: `trusty-lab serve: ${file} is not a TRusTY Lab database (it holds notes); use another data directory\n`,
    });
    expect(snapshot(dir)).toEqual(before);
  });

  it('a database a newer lab wrote, leaving the directory as it was', async () => {
    const dir = dirs.make();
    const db = openDatabase({ dataDir: dir });
    createSqliteRepositories(db);
    db.prepare("INSERT INTO schema_migrations (namespace, version, applied_at) VALUES ('lab', 999, 0)").run();
    db.close();
    const before = snapshot(dir);
    const { code, err } = await serveRefusing(dir);
    expect(code).toBe(1);
    expect(err).toContain(
      `trusty-lab serve: cannot open the database ${join(dir, DATABASE_FILE)}: the database schema "lab" is at version 999, newer than this program knows`,
    );
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(snapshot(dir)).toEqual(before);
  });

  it.each([
    ['serve.lock', 'cannot open the lock file'],
    ['replay-cache.journal', 'cannot open the replay cache journal'],
  ])('a directory where its %s file should be', async (name, message) => {
    const dir = dirs.make();
    mkdirSync(join(dir, name));
    const { code, err } = await serveRefusing(dir);
    expect(code).toBe(1);
    expect(err.startsWith(`trusty-lab serve: ${message} ${join(dir, name)}: `)).toBe(true);
    expect(err.trim().split('\n')).toHaveLength(1);
  });
});
