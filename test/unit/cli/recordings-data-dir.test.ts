import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runRecordingsCommand } from '../../../src/cli/commands/recordings';
import { DATABASE_FILE, openDatabase } from '../../../src/server/infrastructure/sqlite/open-database';
import { createRecordingStore } from '../../../src/server/lab/recording-store';
import { commandIo as io } from '../../support/command-io';
import { tempDirs } from '../../support/temp-dirs';

const dirs = tempDirs('recordings-data-dir-');
afterEach(dirs.removeAll);

describe('trusty-lab recordings --data DIR: what it refuses to read (exit 1)', () => {
  it.each(['lab', 'provider'])('a database whose "%s" schema a newer lab wrote', async (namespace) => {
    const dir = dirs.make();
    const db = openDatabase({ dataDir: dir });
    createRecordingStore(db).create('Demo flow', Date.UTC(2026, 5, 1));
    db.prepare('INSERT INTO schema_migrations (namespace, version, applied_at) VALUES (?, 999, 0)').run(
      namespace,
    );
    db.close();
    const before = readFileSync(join(dir, DATABASE_FILE));
    const t = io();
    expect(await runRecordingsCommand(['list', '--data', dir], t.io)).toBe(1);
    expect(t.err()).toContain(
      `the database schema "${namespace}" is at version 999, newer than this program knows`,
    );
    expect(t.out()).toBe('');
    expect(readFileSync(join(dir, DATABASE_FILE))).toEqual(before);
  });

  it("another program's database, naming it", async () => {
    const dir = dirs.make();
    const file = join(dir, DATABASE_FILE);
    const db = new Database(file);
    db.exec('CREATE TABLE lab_recordings (id TEXT)'); // a name like the lab's is not enough
    db.close();
    const t = io();
    expect(await runRecordingsCommand(['list', '--data', dir], t.io)).toBe(1);
    expect(t.err()).toBe(
      `trusty-lab recordings: ${file} is not a TRusTY Lab database (it holds lab_recordings); use another data directory\n`,
    );
  });

  it('a database that is a FIFO, at once instead of waiting on it', async () => {
    const dir = dirs.make();
    execFileSync('mkfifo', [join(dir, DATABASE_FILE)]);
    const t = io();
    expect(await runRecordingsCommand(['list', '--data', dir], t.io)).toBe(1);
    expect(t.err()).toContain(`${join(dir, DATABASE_FILE)} is not a regular file`);
  });
});
