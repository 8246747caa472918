import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runKeysCommand } from '../../../src/cli/commands/keys';
import { systemClock } from '../../../src/server/domain/clock';
import { lockDataDir } from '../../../src/server/infrastructure/data-dir-lock';
import { openKeyStore } from '../../../src/server/infrastructure/keys/sqlite-key-store';
import { DATABASE_FILE, openDatabase } from '../../../src/server/infrastructure/sqlite/open-database';
import { commandIo as io } from '../../support/command-io';

/** A data directory as a lab leaves it: its signing keys generated. The kids it publishes. */
async function dataDirWithKeys(): Promise<{ dir: string; published: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'lab-keys-'));
  const db = openDatabase({ dataDir: dir });
  try {
    const keys = await openKeyStore({ db, clock: systemClock, graceSeconds: 86_400 });
    return { dir, published: (keys.publicJwks().keys ?? []).map((k) => k.kid ?? '') };
  } finally {
    db.close();
  }
}

/** Every file of the directory with its bytes: what a refusal must leave as it was. */
const snapshot = (dir: string) => readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]);

describe('trusty-lab keys rotate', () => {
  it('rotates a stopped lab: the keys it published stay published, new next keys join them', async () => {
    const { dir, published } = await dataDirWithKeys();
    const t = io();
    expect(await runKeysCommand(['rotate', '--data', dir], t.io)).toBe(0);
    const kids = t.out().trim().split('\n');
    for (const kid of published) expect(kids).toContain(kid);
    expect(kids.length).toBeGreaterThan(published.length);
  });

  it('refuses (1) a data directory a running lab holds, and changes nothing there', async () => {
    const { dir, published } = await dataDirWithKeys();
    const lock = lockDataDir(dir);
    try {
      const t = io();
      expect(await runKeysCommand(['rotate', '--data', dir], t.io)).toBe(1);
      expect(t.err()).toMatch(/in use by another trusty-lab process.*lab API/);
    } finally {
      lock.release();
    }
    const db = openDatabase({ dataDir: dir });
    try {
      const keys = await openKeyStore({ db, clock: systemClock, graceSeconds: 86_400 });
      expect((keys.publicJwks().keys ?? []).map((k) => k.kid)).toEqual(published);
    } finally {
      db.close();
    }
  });

  it('refuses (1) a directory without lab data, and does not make one', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'lab-keys-')), 'typo');
    const t = io();
    expect(await runKeysCommand(['rotate', '--data', missing], t.io)).toBe(1);
    expect(t.err()).toContain(`no lab data in ${missing}`);
    expect(existsSync(missing)).toBe(false);
  });

  it.each(['provider', 'replay_cache', 'lab'])(
    'refuses (1) a data directory whose "%s" schema a newer lab wrote, and writes nothing there',
    async (namespace) => {
      const { dir } = await dataDirWithKeys();
      const db = new Database(join(dir, DATABASE_FILE));
      db.prepare('INSERT INTO schema_migrations (namespace, version, applied_at) VALUES (?, 999, 0)').run(
        namespace,
      );
      db.close();
      const before = snapshot(dir);
      const t = io();
      expect(await runKeysCommand(['rotate', '--data', dir], t.io)).toBe(1);
      expect(t.err()).toContain(
        `the database schema "${namespace}" is at version 999, newer than this program knows`,
      );
      expect(snapshot(dir)).toEqual(before);
    },
  );

  it("refuses (1) another program's database, naming it, and writes nothing there", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-keys-'));
    const file = join(dir, DATABASE_FILE);
    const db = new Database(file);
    db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')");
    db.close();
    const before = snapshot(dir);
    const t = io();
    expect(await runKeysCommand(['rotate', '--data', dir], t.io)).toBe(1);
    expect(t.err()).toBe(
      `trusty-lab keys: ${file} is not a TRusTY Lab database (it holds notes); use another data directory\n`,
    );
    expect(snapshot(dir)).toEqual(before);

    writeFileSync(file, 'not a database, only text that is long enough to look at');
    const text = io();
    expect(await runKeysCommand(['rotate', '--data', dir], text.io)).toBe(1);
    expect(text.err()).toContain(`${file} is not a TRusTY Lab database (it is not an SQLite file)`);
  });

  it('names the lock file (1) when a directory stands in its place', async () => {
    const { dir } = await dataDirWithKeys();
    mkdirSync(join(dir, 'serve.lock'));
    const t = io();
    expect(await runKeysCommand(['rotate', '--data', dir], t.io)).toBe(1);
    expect(
      t.err().startsWith(`trusty-lab keys: cannot open the lock file ${join(dir, 'serve.lock')}: `),
    ).toBe(true);
    expect(t.err()).not.toContain('lab API'); // not a running lab: rotating from one would not help
  });

  it.each(['0', '-5', '1.5', '1e308', '0x10', '2592001', 'soon'])('exits 2 on --grace %s', async (grace) => {
    const { dir } = await dataDirWithKeys();
    const t = io();
    expect(await runKeysCommand(['rotate', '--data', dir, '--grace', grace], t.io)).toBe(2);
    expect(t.err()).toContain('--grace');
  });
});
