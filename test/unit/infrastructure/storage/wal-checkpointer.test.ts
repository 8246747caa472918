import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openDatabase } from '../../../../src/server/infrastructure/sqlite/open-database';
import { startWalCheckpointer } from '../../../../src/server/infrastructure/sqlite/wal-checkpointer';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'trusty-lab-wal-'));
  dirs.push(dir);
  const db = openDatabase({ dataDir: dir });
  db.exec('CREATE TABLE filler (body TEXT NOT NULL)');
  return { db, path: join(dir, DATABASE_FILE) };
}

const autocheckpoint = (db: ReturnType<typeof openDatabase>) =>
  db.pragma('wal_autocheckpoint', { simple: true }) as number;

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A checkpointer polling every 20 ms whose WAL always reads empty; `looks` counts its looks at it. */
function watchedQuietDatabase() {
  const { db, path } = freshDatabase();
  let looks = 0;
  const checkpointer = startWalCheckpointer({
    db,
    path,
    pollMs: 20,
    walBytes: () => {
      looks++;
      return 0;
    },
  });
  return { db, checkpointer, looks: () => looks };
}

describe('WAL checkpoints in a worker thread', () => {
  it('start once the WAL is large, then copy pages into the database file while the provider connection does not', async () => {
    const { db, path } = freshDatabase();
    const checkpointer = startWalCheckpointer({
      db,
      path,
      intervalMs: 20,
      pollMs: 20,
      startAtWalBytes: 100_000,
    });
    const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
    await sleep(100);
    expect(autocheckpoint(db)).toBe(1000); // a small WAL: no worker yet
    for (let i = 0; i < 20; i++) insert.run('x'.repeat(8000));
    await until(() => autocheckpoint(db) === 0);
    const before = statSync(path).size;
    db.transaction(() => {
      for (let i = 0; i < 200; i++) insert.run('x'.repeat(8000));
    })();
    // The pages are in the WAL only: the database file grows when a checkpoint copies them back.
    await until(() => statSync(path).size > before + 1_000_000);
    await checkpointer.stop();
    expect(autocheckpoint(db)).toBe(1000);
    db.close();
  });

  it('never start while the WAL is small, the connection checkpointing by itself', async () => {
    const { db, path } = freshDatabase();
    db.prepare('INSERT INTO filler (body) VALUES (?)').run('one write, then nothing');
    const checkpointer = startWalCheckpointer({ db, path, intervalMs: 20, pollMs: 20 });
    await sleep(300);
    expect(autocheckpoint(db)).toBe(1000);
    await checkpointer.stop();
    db.close();
  });

  it('look at the WAL file only once the connection has changed rows since they last did', async () => {
    const { db, checkpointer, looks } = watchedQuietDatabase();
    await sleep(100); // a few polls of a quiet connection
    expect(looks()).toBe(1);
    db.prepare('INSERT INTO filler (body) VALUES (?)').run('a write');
    await until(() => looks() === 2);
    await sleep(60);
    expect(looks()).toBe(2);
    await checkpointer.stop();
    db.close();
  });

  it('rest once the connection has been quiet for ten polls, and watch again when woken', async () => {
    const { db, checkpointer, looks } = watchedQuietDatabase();
    await sleep(400); // ten quiet polls take 200 ms
    db.prepare('INSERT INTO filler (body) VALUES (?)').run('a write while it rests');
    await sleep(200);
    expect(looks()).toBe(1); // resting: the write is not seen
    checkpointer.wake();
    await until(() => looks() === 2);
    await checkpointer.stop();
    checkpointer.wake(); // stopped: stays so
    db.prepare('INSERT INTO filler (body) VALUES (?)').run('a write once stopped');
    await sleep(100);
    expect(looks()).toBe(2);
    db.close();
  });

  it('give checkpoints back to the provider connection when the worker cannot start', async () => {
    const { db, path } = freshDatabase();
    const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
    // The poll watches the real WAL; the worker is handed a database it cannot open.
    const checkpointer = startWalCheckpointer({
      db,
      path,
      pollMs: 20,
      startAtWalBytes: 100_000,
      nativeBinding: '/nonexistent/better_sqlite3.node',
    });
    for (let i = 0; i < 20; i++) insert.run('x'.repeat(8000));
    await sleep(300);
    expect(autocheckpoint(db)).toBe(1000);
    await checkpointer.stop();
    expect(autocheckpoint(db)).toBe(1000);
    db.close();
  });
});
