import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LAB_EVENT_SCHEMA_VERSION } from '../../../src/common/lab-events';
import { runRecordingsCommand } from '../../../src/cli/commands/recordings';
import { importRecordingFile } from '../../../src/cli/commands/recording-import';
import { lockDataDir } from '../../../src/server/infrastructure/data-dir-lock';
import { DATABASE_FILE } from '../../../src/server/infrastructure/sqlite/open-database';
import { createRecordingStore } from '../../../src/server/lab/recording-store';
import { makeExchange } from './helpers';
import { commandIo as io } from '../../support/command-io';

function dataDirWithRecording() {
  const dir = mkdtempSync(join(tmpdir(), 'lab-data-'));
  const db = new Database(join(dir, DATABASE_FILE));
  const store = createRecordingStore(db);
  const meta = store.create('Demo flow', Date.UTC(2026, 5, 1));
  store.append(['PAR', 'token'].map((label) => ({ recordingId: meta.id, event: makeExchange({ label }) })));
  db.close();
  return { dir, id: meta.id };
}

async function exported(dir: string, id: string): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'lab-export-')), 'recording.json');
  expect(
    await runRecordingsCommand(['export', id, '--format', 'json', '--out', out, '--data', dir], io().io),
  ).toBe(0);
  return out;
}

function fileWith(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lab-import-')), 'recording.json');
  writeFileSync(file, text);
  return file;
}

/** Rows of the lab's tables, hidden ones (an import under way) included. */
function rowsIn(dir: string): { recordings: number; events: number } {
  const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
  try {
    const count = (table: string) =>
      (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { recordings: count('lab_recordings'), events: count('lab_events') };
  } finally {
    db.close();
  }
}

describe('trusty-lab recordings import', () => {
  it('imports an exported recording under a new id, each time it is imported', async () => {
    const source = dataDirWithRecording();
    const file = await exported(source.dir, source.id);
    const target = dataDirWithRecording();
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const t = io();
      expect(await runRecordingsCommand(['import', file, '--data', target.dir], t.io)).toBe(0);
      const line = /^imported (\S+)\t(.*)\t(.*)\n$/u.exec(t.out());
      expect(line?.slice(2)).toEqual(['2 events', 'Demo flow']);
      ids.push(line![1]!);
    }
    expect(new Set([...ids, target.id, source.id]).size).toBe(4);
    const t = io();
    expect(await runRecordingsCommand(['list', '--data', target.dir], t.io)).toBe(0);
    for (const id of ids) expect(t.out()).toContain(`${id}\t`);
    expect(rowsIn(target.dir)).toEqual({ recordings: 3, events: 6 });
  });

  it.each([
    ['not JSON', '{"schemaVersion": 1,', 'is not JSON'],
    ['not a recording', '{"hello": "world"}', 'is not a recording'],
    [
      'no events',
      JSON.stringify({ schemaVersion: LAB_EVENT_SCHEMA_VERSION, id: 'x', name: 'n', createdAt: 0 }),
      'events',
    ],
  ])('refuses a file that is %s (1), and stores nothing', async (_what, text, message) => {
    const { dir } = dataDirWithRecording();
    const t = io();
    expect(await runRecordingsCommand(['import', fileWith(text), '--data', dir], t.io)).toBe(1);
    expect(t.err()).toContain(message);
    expect(rowsIn(dir)).toEqual({ recordings: 1, events: 2 });
  });

  it('refuses a recording with a bad event, naming it, and leaves nothing of it behind', async () => {
    const { dir } = dataDirWithRecording();
    const recording = {
      schemaVersion: LAB_EVENT_SCHEMA_VERSION,
      id: 'exported',
      name: 'broken',
      createdAt: 0,
      events: [...Array.from({ length: 1500 }, () => makeExchange()), { type: 'exchange', at: 'never' }],
    };
    const t = io();
    expect(
      await runRecordingsCommand(['import', fileWith(JSON.stringify(recording)), '--data', dir], t.io),
    ).toBe(1);
    expect(t.err()).toContain('events[1500]');
    // The first slice of 1,000 was written before the bad event was reached: abandoned with the rest.
    expect(rowsIn(dir)).toEqual({ recordings: 1, events: 2 });
  });

  it('refuses a file past the limit of bytes, naming it', async () => {
    const { dir } = dataDirWithRecording();
    const source = dataDirWithRecording();
    const file = await exported(source.dir, source.id);
    await expect(importRecordingFile(dir, file, { maxBytes: 1024 * 1024 })).resolves.toMatchObject({
      eventCount: 2,
    });
    const size = statSync(file).size;
    await expect(importRecordingFile(dir, file, { maxBytes: 100 })).rejects.toThrow(
      `${file} is ${size} bytes: this lab imports recordings of at most 100 bytes (its memory allows no more)`,
    );
  });

  it('refuses (1) while a lab holds the data directory, and imports once it is let go', async () => {
    const source = dataDirWithRecording();
    const file = await exported(source.dir, source.id);
    const { dir } = dataDirWithRecording();
    const lock = lockDataDir(dir);
    try {
      const t = io();
      expect(await runRecordingsCommand(['import', file, '--data', dir], t.io)).toBe(1);
      expect(t.err()).toContain('is in use by another trusty-lab process');
      expect(t.err()).toContain('import the recording from its lab UI');
      expect(rowsIn(dir)).toEqual({ recordings: 1, events: 2 });
    } finally {
      lock.release();
    }
    expect(await runRecordingsCommand(['import', file, '--data', dir], io().io)).toBe(0);
    expect(rowsIn(dir)).toEqual({ recordings: 2, events: 4 });
  });

  it('refuses (1) a FILE that is missing or not a regular file', async () => {
    const { dir } = dataDirWithRecording();
    for (const [file, message] of [
      [join(dir, 'missing.json'), 'no such file'],
      [mkdtempSync(join(tmpdir(), 'lab-import-')), 'is not a regular file'],
    ] as const) {
      const t = io();
      expect(await runRecordingsCommand(['import', file, '--data', dir], t.io)).toBe(1);
      expect(t.err()).toContain(message);
    }
    expect(rowsIn(dir)).toEqual({ recordings: 1, events: 2 });
  });

  it('never makes a data directory (a mistyped --data)', async () => {
    const source = dataDirWithRecording();
    const file = await exported(source.dir, source.id);
    const missing = join(mkdtempSync(join(tmpdir(), 'lab-data-')), 'typo');
    const t = io();
    expect(await runRecordingsCommand(['import', file, '--data', missing], t.io)).toBe(1);
    expect(t.err()).toContain(`no lab data in ${missing}`);
    expect(existsSync(missing)).toBe(false);
  });

  it.each([
    [['import'], 'needs a FILE'],
    [['import', 'a.json', 'b.json'], 'unexpected argument'],
    [['import', 'a.json', '--format', 'json'], 'no --format or --out'],
  ])('exits 2 on usage error %j', async (argv, message) => {
    const t = io();
    expect(await runRecordingsCommand(argv, t.io)).toBe(2);
    expect(t.err().split('\n')[0]).toContain(message);
  });
});
