import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DATABASE_FILE, openDatabase } from '../../../src/server/infrastructure/sqlite/open-database';
import { createRecordingStore } from '../../../src/server/lab/recording-store';
import { LAB_EVENT_SCHEMA_VERSION, type LabEvent, type Recording } from '../../../src/common/lab-events';
import { tempDirs } from '../../support/temp-dirs';
import { makeExchange, openMemoryDb } from './helpers';
import { importRecording } from '../../../src/server/lab/imported-recording';

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return { ...actual, writevSync: vi.fn(actual.writevSync) };
});

const dirs = tempDirs('event-log-store-');
afterEach(dirs.removeAll);

const open = () => {
  const dir = dirs.make();
  const db = openDatabase({ dataDir: dir });
  return { dir, db, store: createRecordingStore(db), logDir: join(dir, `${DATABASE_FILE}-events`) };
};
const labels = (events: Iterable<LabEvent>) =>
  [...events].map((e) => (e.type === 'exchange' ? e.label : e.type));
const logFileOf = (logDir: string, id: string) => join(logDir, `${id}.events`);
/** The disk full at the `nth` write of texts from now on (the writes before it go through). */
const diskFullAtWrite = (nth: number) => {
  const actual = vi.mocked(fs.writevSync).getMockImplementation()!;
  const writes = vi.mocked(fs.writevSync);
  for (let i = 1; i < nth; i++) writes.mockImplementationOnce(actual);
  writes.mockImplementationOnce(() => {
    throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
  });
};
/** A recording in the native format, as an import gets it. */
const recordingOf = (name: string, events: LabEvent[]): Recording => ({
  schemaVersion: LAB_EVENT_SCHEMA_VERSION,
  id: 'elsewhere',
  name,
  createdAt: 3,
  events,
});

describe('a recording store on a database file keeps the events’ texts in its event log', () => {
  it('writes each text once, to the recording’s own file, and reads every event back whole', () => {
    const { db, store, logDir } = open();
    const first = store.create('first', 1);
    const second = store.create('second', 2);
    const body = 'grant_type=client_credentials&note=' + 'é€😀'.repeat(50); // multi-byte UTF-8
    store.append([
      { recordingId: first.id, event: makeExchange({ label: 'one', requestBody: body }) },
      { recordingId: second.id, event: makeExchange({ label: 'two' }) },
      { recordingId: first.id, event: { type: 'note', id: 'n1', at: 5, text: 'a note' } },
    ]);
    expect(labels(store.events(first.id))).toEqual(['one', 'note']);
    expect(labels(store.events(second.id))).toEqual(['two']);
    const [exchange] = [...store.events(first.id)];
    expect(exchange).toMatchObject({ type: 'exchange', requestBody: body });
    // The rows hold no text; the files hold it all, and nothing else.
    const rows = db.prepare('SELECT json, log_offset, log_length FROM lab_events').all() as {
      json: string;
      log_length: number;
    }[];
    expect(rows.every((r) => r.json === '' && r.log_length > 0)).toBe(true);
    const firstFile = readFileSync(logFileOf(logDir, first.id));
    expect(firstFile.length).toBe(rows.filter((_, i) => i !== 1).reduce((sum, r) => sum + r.log_length, 0));
    expect(firstFile.toString('utf8')).toContain(body);
  });

  it('writes the row of an exchange the server saw as it writes any other event’s, its text aside', () => {
    // The capture's rows have a statement of their own (logged-server-exchange-rows.ts); an in-memory
    // store, which has no event log, writes every row with the general one.
    const event = makeExchange({ observer: 'server', from: 'browser', to: 'resource_server', status: 201 });
    const client = makeExchange({ observer: 'client', label: 'reported' });
    const rowsOf = (db: ReturnType<typeof openMemoryDb>) =>
      db
        .prepare(
          `SELECT event_id, type, observer, trace_id, span_id, from_actor, to_actor, label, status, merged_into_server
           FROM lab_events ORDER BY seq`,
        )
        .all();
    const { db, store } = open();
    const memoryDb = openMemoryDb();
    const memory = createRecordingStore(memoryDb);
    for (const s of [store, memory]) {
      const { id } = s.create('r', 0);
      s.append([event, client].map((e) => ({ recordingId: id, event: e })));
    }
    expect(rowsOf(db)).toEqual(rowsOf(memoryDb));
    expect(rowsOf(db)[0]).toEqual({
      event_id: event.id,
      type: 'exchange',
      observer: 'server',
      trace_id: event.traceId,
      span_id: event.spanId,
      from_actor: 'browser',
      to_actor: 'resource_server',
      label: 'token',
      status: 201,
      merged_into_server: 0,
    });
    expect([...store.events(store.list()[0]!.id)]).toEqual([event, client]);
  });

  it('is owner-only: the directory 0700, each file 0600', () => {
    const { store, logDir } = open();
    const rec = store.create('r', 1);
    store.append([{ recordingId: rec.id, event: makeExchange() }]);
    expect(statSync(logDir).mode & 0o777).toBe(0o700);
    expect(statSync(logFileOf(logDir, rec.id)).mode & 0o777).toBe(0o600);
  });

  it('deletes a recording’s file with it, and leaves the others', () => {
    const { store, logDir } = open();
    const kept = store.create('kept', 1);
    const gone = store.create('gone', 2);
    store.append([
      { recordingId: kept.id, event: makeExchange({ label: 'kept' }) },
      { recordingId: gone.id, event: makeExchange({ label: 'gone' }) },
    ]);
    expect(store.delete(gone.id)).toBe(true);
    expect(existsSync(logFileOf(logDir, gone.id))).toBe(false);
    expect(labels(store.events(kept.id))).toEqual(['kept']);
  });

  it('writes nothing, and makes no file, for the events of a recording deleted while they waited', () => {
    const { store, logDir } = open();
    const gone = store.create('gone', 1);
    store.delete(gone.id);
    expect(() => store.append([{ recordingId: gone.id, event: makeExchange() }])).toThrow(/FOREIGN KEY/);
    expect(existsSync(logFileOf(logDir, gone.id))).toBe(false);
  });

  it('takes the rows of a batch back when its text cannot be written, and goes on after', () => {
    const { store } = open();
    const rec = store.create('r', 1);
    store.append([{ recordingId: rec.id, event: makeExchange({ label: 'before' }) }]);
    diskFullAtWrite(1);
    expect(() => store.append([{ recordingId: rec.id, event: makeExchange({ label: 'lost' }) }])).toThrow(
      /ENOSPC/,
    );
    expect(store.summary(rec.id)!.eventCount).toBe(1);
    store.append([{ recordingId: rec.id, event: makeExchange({ label: 'after' }) }]);
    expect(labels(store.events(rec.id))).toEqual(['before', 'after']);
  });

  it('finishes a batch the disk took only a part of at first', () => {
    const { store } = open();
    const rec = store.create('r', 1);
    const actual = vi.mocked(fs.writevSync).getMockImplementation()!;
    vi.mocked(fs.writevSync).mockImplementationOnce((fd, buffers, position) =>
      actual(fd, [(buffers[0] as Buffer).subarray(0, 10)], position),
    );
    store.append(['a', 'b'].map((label) => ({ recordingId: rec.id, event: makeExchange({ label }) })));
    expect(labels(store.events(rec.id))).toEqual(['a', 'b']);
  });

  it('starts after bytes no row names (a batch whose commit failed), and reads the rows right', () => {
    const { store, logDir } = open();
    const rec = store.create('r', 1);
    store.append([{ recordingId: rec.id, event: makeExchange({ label: 'one' }) }]);
    fs.appendFileSync(logFileOf(logDir, rec.id), 'half a text that no row names');
    store.append([{ recordingId: rec.id, event: makeExchange({ label: 'two' }) }]);
    expect(labels(store.events(rec.id))).toEqual(['one', 'two']);
  });

  it('shows an event whose text is gone as unreadable, and the rest of its recording', () => {
    const { store, logDir } = open();
    const rec = store.create('r', 1);
    store.append([
      { recordingId: rec.id, event: makeExchange({ label: 'whole' }) },
      { recordingId: rec.id, event: makeExchange({ label: 'cut' }) },
    ]);
    const file = logFileOf(logDir, rec.id);
    truncateSync(file, statSync(file).size - 10);
    const events = [...store.events(rec.id)];
    expect(events[0]).toMatchObject({ type: 'exchange', label: 'whole' });
    expect(events[1]).toMatchObject({
      type: 'note',
      text: expect.stringContaining('could not be read back'),
    });
  });

  it('dates an unreadable event whose text is still there by the time that text gives', () => {
    const { store, logDir } = open();
    const rec = store.create('r', 1);
    const damaged = makeExchange({ label: 'damaged', startedAt: 1_800_000_000_000 });
    store.append([{ recordingId: rec.id, event: damaged }]);
    // Its last two bytes (ASCII) become one two-byte character: the bodies no longer have their lengths.
    const file = logFileOf(logDir, rec.id);
    const bytes = readFileSync(file);
    bytes.set([0xc3, 0xa9], bytes.length - 2);
    writeFileSync(file, bytes);
    expect([...store.events(rec.id)]).toEqual([
      expect.objectContaining({
        type: 'note',
        at: damaged.startedAt,
        text: expect.stringContaining('do not have the lengths'),
      }),
    ]);
  });

  it('reads an event whose file is gone as unreadable, without making the file again', () => {
    const { dir, db, store, logDir } = open();
    const rec = store.create('r', 1);
    store.append([{ recordingId: rec.id, event: makeExchange({ label: 'gone' }) }]);
    db.close();
    fs.rmSync(logDir, { recursive: true });
    const reopened = createRecordingStore(openDatabase({ dataDir: dir }));
    expect([...reopened.events(rec.id)]).toEqual([
      expect.objectContaining({ type: 'note', text: expect.stringContaining('could not be read back') }),
    ]);
    expect(existsSync(logDir)).toBe(false);
  });

  it('removes, when the store is opened, the files of recordings that no longer exist', () => {
    const { dir, db, store, logDir } = open();
    const rec = store.create('r', 1);
    store.append([{ recordingId: rec.id, event: makeExchange() }]);
    const orphan = logFileOf(logDir, '0f0f0f0f-0000-4000-8000-000000000000');
    writeFileSync(orphan, 'left by a crash between a delete and its unlink');
    writeFileSync(join(logDir, 'not-an-event-log.txt'), 'kept');
    db.close();
    const reopened = createRecordingStore(openDatabase({ dataDir: dir }));
    expect(existsSync(orphan)).toBe(false);
    expect(readdirSync(logDir).sort()).toEqual([`${rec.id}.events`, 'not-an-event-log.txt'].sort());
    expect(reopened.summary(rec.id)!.eventCount).toBe(1);
  });

  it('replays the newest events from the log, within the text bound', () => {
    const { store } = open();
    const rec = store.create('r', 1);
    const seqs = store.append(
      ['a', 'b', 'c'].map((label) => ({ recordingId: rec.id, event: makeExchange({ label }) })),
    );
    expect(labels(store.eventsAt(seqs, Number.MAX_SAFE_INTEGER))).toEqual(['a', 'b', 'c']);
    expect(labels(store.eventsAt(seqs, 1))).toEqual(['c']);
  });

  it('imports a recording into the log, and a read-only store reads it', async () => {
    const { dir, db, store } = open();
    const imported = await importRecording(
      store,
      recordingOf('imported', [makeExchange({ label: 'x' }), makeExchange({ label: 'y' })]),
    );
    db.close();
    const readOnly = createRecordingStore(openDatabase({ dataDir: dir, readonly: true }), {
      migrateSchema: false,
    });
    expect(labels(readOnly.events(imported.id))).toEqual(['x', 'y']);
  });

  it('imports a long recording slice by slice, each slice written before the next is made', async () => {
    const { store, logDir } = open();
    const events = Array.from({ length: 2500 }, (_, i) => makeExchange({ label: `e${i}` }));
    const writes = vi.mocked(fs.writevSync).mock.calls.length;
    const imported = await importRecording(store, recordingOf('long', events));
    expect(vi.mocked(fs.writevSync).mock.calls.length - writes).toBe(3);
    expect(imported.eventCount).toBe(2500);
    expect(labels(store.events(imported.id))).toEqual(events.map((e) => e.label));
    const file = readFileSync(logFileOf(logDir, imported.id));
    expect(file.length).toBe(events.reduce((sum, e) => sum + Buffer.byteLength(store.serialize(e)), 0));
  });

  it('leaves nothing of an import that fails midway: no recording, no rows, no file', async () => {
    const { db, store, logDir } = open();
    const before = store.create('before', 1);
    store.append([{ recordingId: before.id, event: makeExchange({ label: 'kept' }) }]);
    diskFullAtWrite(2);
    const recording = recordingOf(
      'too long for the disk',
      Array.from({ length: 1500 }, () => makeExchange()),
    );
    await expect(importRecording(store, recording)).rejects.toThrow(/ENOSPC/);
    expect(store.list().map((r) => r.name)).toEqual(['before']);
    expect(db.prepare('SELECT COUNT(*) AS n FROM lab_events').get()).toEqual({ n: 1 });
    expect(readdirSync(logDir)).toEqual([`${before.id}.events`]);
    expect(labels(store.events(before.id))).toEqual(['kept']);
    // The store goes on: the same file imports whole afterwards.
    expect(labels(store.events((await importRecording(store, recording)).id))).toHaveLength(1500);
  });

  it('hides a recording being imported until its last slice is in, and abandoning one leaves nothing', () => {
    const { db, store, logDir } = open();
    const fields = { schemaVersion: LAB_EVENT_SCHEMA_VERSION, id: 'elsewhere', createdAt: 3 } as const;
    const importing = store.beginImport({ ...fields, name: 'imported' });
    importing.append([makeExchange({ label: 'a' })]);
    importing.append([makeExchange({ label: 'b' })]);
    const id = db.prepare('SELECT id FROM lab_recordings').pluck().get() as string;
    expect(store.list()).toEqual([]);
    expect([store.find(id), store.summary(id), store.rename(id, 'x'), store.delete(id)]).toEqual([
      undefined,
      undefined,
      undefined,
      false,
    ]);
    const finished = importing.finish();
    expect(finished).toEqual({ id, name: 'imported', createdAt: 3, eventCount: 2 });
    expect(store.list()).toEqual([finished]);
    expect(labels(store.events(id))).toEqual(['a', 'b']);

    const abandoned = store.beginImport({ ...fields, name: 'abandoned' });
    abandoned.append([makeExchange()]);
    abandoned.abandon();
    expect(db.prepare('SELECT COUNT(*) AS n FROM lab_recordings').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM lab_events').get()).toEqual({ n: 2 });
    expect(readdirSync(logDir)).toEqual([`${id}.events`]);
  });

  it('removes, when the store is opened, an import the process did not see to the end, and its file', () => {
    const { dir, db, store, logDir } = open();
    const kept = store.create('kept', 1);
    store.append([{ recordingId: kept.id, event: makeExchange() }]);
    const importing = store.beginImport({
      schemaVersion: LAB_EVENT_SCHEMA_VERSION,
      id: 'elsewhere',
      name: 'cut short',
      createdAt: 3,
    });
    importing.append([makeExchange(), makeExchange()]);
    expect(readdirSync(logDir)).toHaveLength(2);
    db.close();
    const reopenedDb = openDatabase({ dataDir: dir });
    const reopened = createRecordingStore(reopenedDb);
    expect(reopened.list().map((r) => r.name)).toEqual(['kept']);
    expect(reopenedDb.prepare('SELECT COUNT(*) AS n FROM lab_events').get()).toEqual({ n: 1 });
    expect(readdirSync(logDir)).toEqual([`${kept.id}.events`]);
  });

  it('forgets the checks a failed import registered: a later exchange still reads back in its own words', async () => {
    const { dir, db, store } = open();
    const rec = store.create('live', 1);
    const onlyInTheImport = {
      id: 'imported.rule',
      description: 'A rule the import brought',
      ref: 'RFC 1 §1',
    };
    diskFullAtWrite(2);
    // The check first comes in the second slice, the one the disk refuses: registered within its
    // transaction, which is rolled back.
    const recording = recordingOf(
      'fails',
      Array.from({ length: 1500 }, (_, i) =>
        makeExchange({ checks: i < 1000 ? [] : [{ ...onlyInTheImport, outcome: 'passed' }] }),
      ),
    );
    await expect(importRecording(store, recording)).rejects.toThrow(/ENOSPC/);
    // A check the provider reports for the first time now, then the import's own check again.
    const live = { id: 'live.rule', description: 'A rule of the provider', ref: 'RFC 2 §2' };
    store.append([
      { recordingId: rec.id, event: makeExchange({ checks: [{ ...live, outcome: 'passed' }] }) },
      { recordingId: rec.id, event: makeExchange({ checks: [{ ...onlyInTheImport, outcome: 'passed' }] }) },
    ]);
    db.close();
    const reopened = createRecordingStore(openDatabase({ dataDir: dir }));
    const checks = [...reopened.events(rec.id)].map((e) => (e.type === 'exchange' ? e.checks[0]?.id : ''));
    expect(checks).toEqual(['live.rule', 'imported.rule']);
  });

  it('keeps texts written before the log existed in their rows, and reads both kinds', () => {
    const { dir, db, store } = open();
    const rec = store.create('r', 1);
    // A row as the lab wrote it before: its text in the json column.
    const old = store.serialize(makeExchange({ label: 'old' }));
    db.prepare(
      `INSERT INTO lab_events (recording_id, event_id, type, observer, label, json) VALUES (?, 'old', 'exchange', 'server', 'old', ?)`,
    ).run(rec.id, old);
    store.append([{ recordingId: rec.id, event: makeExchange({ label: 'new' }) }]);
    expect(labels(store.events(rec.id))).toEqual(['old', 'new']);
    db.close();
    expect(labels(createRecordingStore(openDatabase({ dataDir: dir })).events(rec.id))).toEqual([
      'old',
      'new',
    ]);
  });

  it('keeps the text of a recording whose id is no safe file name in its row', () => {
    const { db, store, logDir } = open();
    db.prepare('INSERT INTO lab_recordings (id, name, created_at) VALUES (?, ?, ?)').run(
      '../escape',
      'odd',
      1,
    );
    // In one batch with a recording whose texts are logged, before and after it.
    const logged = store.create('logged', 2);
    store.append([
      { recordingId: logged.id, event: makeExchange({ label: 'before' }) },
      { recordingId: '../escape', event: makeExchange({ label: 'odd' }) },
      { recordingId: logged.id, event: makeExchange({ label: 'after' }) },
    ]);
    expect(labels(store.events('../escape'))).toEqual(['odd']);
    expect(labels(store.events(logged.id))).toEqual(['before', 'after']);
    expect(existsSync(join(logDir, '..', 'escape.events'))).toBe(false);
    const rows = db.prepare('SELECT recording_id, json, log_length FROM lab_events ORDER BY seq').all() as {
      recording_id: string;
      json: string;
      log_length: number | null;
    }[];
    const row = rows.find((r) => r.recording_id === '../escape');
    expect(row?.log_length).toBeNull();
    expect(row?.json).not.toBe('');
    expect(rows.filter((r) => r.recording_id === logged.id).map((r) => [r.json, r.log_length! > 0])).toEqual([
      ['', true],
      ['', true],
    ]);
  });
});
