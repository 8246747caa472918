import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { labEventSchemas } from '../../../src/common/lab-events';
import { defaultDataDir } from '../../../src/cli/commands/default-data-dir';
import { runRecordingsCommand } from '../../../src/cli/commands/recordings';
import { DATABASE_FILE } from '../../../src/server/infrastructure/sqlite/open-database';
import { createRecordingStore } from '../../../src/server/lab/recording-store';
import { makeExchange } from './helpers';
import { commandIo as io } from '../../support/command-io';

function dataDirWithRecording() {
  const dir = mkdtempSync(join(tmpdir(), 'lab-data-'));
  const db = new Database(join(dir, DATABASE_FILE));
  const store = createRecordingStore(db);
  const meta = store.create('Demo flow', Date.UTC(2026, 5, 1));
  store.append([{ recordingId: meta.id, event: makeExchange({ label: 'PAR' }) }]);
  db.close();
  return { dir, id: meta.id };
}

describe('trusty-lab recordings', () => {
  it('lists the recordings of a data directory', async () => {
    const { dir, id } = dataDirWithRecording();
    const t = io();
    expect(await runRecordingsCommand(['list', '--data', dir], t.io)).toBe(0);
    expect(t.out()).toContain(id);
    expect(t.out()).toContain('Demo flow');
    expect(t.out()).toContain('\t1 event\t');
  });

  it('lists a name with control characters without them, and a time that is not a date as a number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-data-'));
    const db = new Database(join(dir, DATABASE_FILE));
    const store = createRecordingStore(db);
    // An escape sequence that would retitle and clear the terminal, then a line feed and a fake line.
    const meta = store.create(
      'evil\u001b]0;pwned\u0007\u001b[2J\nfake\tline\u009b1m\u007f',
      Date.UTC(2026, 5, 1),
    );
    db.prepare('UPDATE lab_recordings SET created_at = ? WHERE id = ?').run(1e20, meta.id);
    db.close();
    const t = io();
    expect(await runRecordingsCommand(['list', '--data', dir], t.io)).toBe(0);
    // One line, its fields separated by tabs, no other control character.
    expect(t.out().endsWith('\n')).toBe(true);
    // eslint-disable-next-line no-control-regex
    expect(t.out().slice(0, -1)).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f]/);
    expect(t.out().split('\t')).toHaveLength(4);
    expect(t.out()).toContain('evil\uFFFD]0;pwned\uFFFD\uFFFD[2J\uFFFDfake\uFFFDline\uFFFD1m\uFFFD');
    expect(t.out()).toContain('100000000000000000000 (not a date)');
  });

  it.each(['json', 'har', 'md'])('exports a recording as %s', async (format) => {
    const { dir, id } = dataDirWithRecording();
    const out = join(mkdtempSync(join(tmpdir(), 'lab-export-')), `out.${format}`);
    const t = io();
    expect(
      await runRecordingsCommand(['export', id, '--format', format, '--out', out, '--data', dir], t.io),
    ).toBe(0);
    const text = readFileSync(out, 'utf8');
    if (format === 'json') expect(labEventSchemas().recording.parse(JSON.parse(text)).events).toHaveLength(1);
    if (format === 'har') expect(JSON.parse(text).log.entries).toHaveLength(1);
    if (format === 'md') expect(text).toContain('sequenceDiagram');
  });

  it.each([
    [[], 'missing action'],
    [['frobnicate'], 'unknown action'],
    [['export'], 'needs a recording id'],
    [['export', 'x', '--out', 'f'], '--format'],
    [['export', 'x', '--format', 'pdf', '--out', 'f'], '--format'],
    [['export', 'x', '--format', 'json'], '--out'],
    [['list', '--bogus'], 'Unknown option'],
  ])('exits 2 with a one-line message on usage error %j', async (argv, message) => {
    const t = io();
    expect(await runRecordingsCommand(argv, t.io)).toBe(2);
    expect(t.err().split('\n')[0]).toContain(message);
  });

  it('never writes the export into the data directory: its database is not replaced', async () => {
    const { dir, id } = dataDirWithRecording();
    for (const out of [join(dir, DATABASE_FILE), join(dir, 'elsewhere', '..', 'export.json')]) {
      const t = io();
      expect(
        await runRecordingsCommand(['export', id, '--format', 'json', '--out', out, '--data', dir], t.io),
      ).toBe(2);
      expect(t.err().split('\n')[0]).toContain('inside the data directory');
    }
    const t = io();
    expect(await runRecordingsCommand(['list', '--data', dir], t.io)).toBe(0);
    expect(t.out()).toContain(id);
  });

  it('replaces a file already at --out with the whole export, owner-only', async () => {
    const { dir, id } = dataDirWithRecording();
    const out = join(mkdtempSync(join(tmpdir(), 'lab-export-')), 'old.json');
    writeFileSync(out, 'old', { mode: 0o644 });
    expect(
      await runRecordingsCommand(['export', id, '--format', 'json', '--out', out, '--data', dir], io().io),
    ).toBe(0);
    expect(labEventSchemas().recording.parse(JSON.parse(readFileSync(out, 'utf8'))).events).toHaveLength(1);
    if (process.platform !== 'win32') expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('fails (1) when --out cannot be written, and leaves nothing beside it', async () => {
    const { dir, id } = dataDirWithRecording();
    const parent = mkdtempSync(join(tmpdir(), 'lab-export-'));
    for (const out of [join(parent, 'missing', 'x.json'), parent]) {
      const t = io();
      expect(
        await runRecordingsCommand(['export', id, '--format', 'json', '--out', out, '--data', dir], t.io),
      ).toBe(1);
      expect(t.err().trim().split('\n')).toHaveLength(1);
    }
    expect(readdirSync(parent)).toEqual([]);
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith(`${basename(parent)}.`))).toEqual([]);
  });

  it('fails (1) on a database it cannot read, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-data-'));
    writeFileSync(join(dir, DATABASE_FILE), 'not a database, only text that is long enough to look at');
    const t = io();
    expect(await runRecordingsCommand(['list', '--data', dir], t.io)).toBe(1);
    expect(t.err().trim()).toBe(
      `trusty-lab recordings: ${join(dir, DATABASE_FILE)} is not a TRusTY Lab database (it is not an SQLite file); use another data directory`,
    );
  });

  it('fails (1) on an unknown recording or a missing data directory', async () => {
    const { dir } = dataDirWithRecording();
    const t = io();
    expect(
      await runRecordingsCommand(
        ['export', 'nope', '--format', 'json', '--out', join(tmpdir(), 'lab-export-x'), '--data', dir],
        t.io,
      ),
    ).toBe(1);
    expect(t.err()).toContain('no recording nope');
    expect(await runRecordingsCommand(['list', '--data', join(dir, 'missing')], t.io)).toBe(1);
  });
});

describe('default data directory', () => {
  it('follows each platform convention', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux', '/home/u')).toBe('/xdg/trusty-lab');
    expect(defaultDataDir({}, 'linux', '/home/u')).toBe('/home/u/.local/share/trusty-lab');
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/u')).toBe(
      '/home/u/.local/share/trusty-lab',
    );
    expect(defaultDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/trusty-lab');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toContain(
      'trusty-lab',
    );
  });
});
