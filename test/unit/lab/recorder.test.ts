import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRecorder, eventIdHash } from '../../../src/server/lab/recorder';
import { createRecordingStore } from '../../../src/server/lab/recording-store';
import { migrate } from '../../../src/server/infrastructure/sqlite/migrate';
import { labMigrations } from '../../../src/server/lab/recording-migrations';
import { LAB_EVENT_SCHEMA_VERSION, type LabEvent } from '../../../src/common/lab-events';
import { makeExchange, namedSpanHeaders, openMemoryDb } from './helpers';
import type { Logger } from '../../../src/server/server-options';
import { openDatabase } from '../../../src/server/infrastructure/sqlite/open-database';
import { tempDirs } from '../../support/temp-dirs';
import { importRecording } from '../../../src/server/lab/imported-recording';

describe('recorder', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  function setup(options: { maxBatch?: number; logger?: Logger } = {}) {
    const db = openMemoryDb();
    const store = createRecordingStore(db);
    const first = store.create('first', 1);
    const append = vi.spyOn(store, 'append');
    const recorder = createRecorder({ store, currentRecordingId: first.id, flushEveryMs: 20, ...options });
    return { db, store, first, append, recorder };
  }

  it('writes events in batches, off the call, one transaction per batch', () => {
    const { store, first, append, recorder } = setup();
    recorder.record(makeExchange());
    recorder.record(makeExchange());
    recorder.record(makeExchange());
    expect(store.summary(first.id)!.eventCount).toBe(0); // nothing written synchronously
    expect(recorder.pending).toBe(3);
    vi.advanceTimersByTime(25);
    expect(append).toHaveBeenCalledTimes(1);
    expect(append.mock.calls[0]![0]).toHaveLength(3);
    expect(store.summary(first.id)!.eventCount).toBe(3);
  });

  it('flushes at once when the queue reaches maxBatch', () => {
    const { store, first, recorder } = setup({ maxBatch: 2 });
    recorder.record(makeExchange());
    recorder.record(makeExchange());
    expect(store.summary(first.id)!.eventCount).toBe(2);
  });

  it('writes the events of a busy provider 128 at a time, before V8 would promote them', () => {
    const { append, recorder } = setup();
    for (let i = 0; i < 300; i++) recorder.record(makeExchange());
    expect(append.mock.calls.map(([batch]) => batch.length)).toEqual([128, 128]);
    expect(recorder.pending).toBe(44);
  });

  it('loses nothing on a clean close, and records nothing after', () => {
    const { store, first, recorder } = setup();
    recorder.record(makeExchange());
    recorder.record(makeExchange());
    recorder.close();
    expect(store.summary(first.id)!.eventCount).toBe(2);
    recorder.record(makeExchange());
    vi.advanceTimersByTime(100);
    expect(store.summary(first.id)!.eventCount).toBe(2);
  });

  it('sends events to the recording that was current when they were recorded', () => {
    const { store, first, recorder } = setup();
    recorder.record(makeExchange({ label: 'before' }));
    const second = store.create('second', 2);
    recorder.setCurrent(second.id);
    recorder.record(makeExchange({ label: 'after' }));
    recorder.flush();
    expect([...store.events(first.id)].map((e) => e.type === 'exchange' && e.label)).toEqual(['before']);
    expect([...store.events(second.id)].map((e) => e.type === 'exchange' && e.label)).toEqual(['after']);
  });

  it('keeps the rest of a batch when one recording was deleted meanwhile, and calls that no loss', () => {
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const { store, first, recorder } = setup({ logger });
    const doomed = store.create('doomed', 2);
    recorder.setCurrent(doomed.id);
    recorder.record(makeExchange());
    recorder.setCurrent(first.id);
    recorder.record(makeExchange());
    store.delete(doomed.id);
    recorder.flush();
    expect(store.summary(first.id)!.eventCount).toBe(1);
    expect(logger.warn).not.toHaveBeenCalled();
    expect(logger.info).not.toHaveBeenCalled();
  });

  it('on a full disk, logs the loss once, not once a batch, and keeps recording once it can write', () => {
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const store = createRecordingStore(openMemoryDb());
    const first = store.create('first', 1);
    const append = store.append.bind(store);
    let diskFull = true;
    store.append = (batch) => {
      if (diskFull) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      return append(batch);
    };
    const recorder = createRecorder({ store, currentRecordingId: first.id, flushEveryMs: 20, logger });
    for (let i = 0; i < 50; i++) {
      recorder.record(makeExchange());
      recorder.record(makeExchange());
      vi.advanceTimersByTime(25);
    }
    expect(logger.warn).toHaveBeenCalledExactlyOnceWith(
      'lab recorder: events could not be written to the recordings and were dropped',
      { dropped: 2, error: 'database or disk is full' },
    );
    diskFull = false;
    recorder.record(makeExchange({ label: 'after' }));
    vi.advanceTimersByTime(25);
    expect(logger.info).toHaveBeenCalledExactlyOnceWith(
      'lab recorder: events are written to the recordings again',
      {
        dropped: 100,
      },
    );
    expect([...store.events(first.id)].map((e) => e.type === 'exchange' && e.label)).toEqual(['after']);
  });
});

describe('recorder replay (what a viewer that reconnects missed)', () => {
  const labelsOf = (events: LabEvent[]) => events.map((e) => (e.type === 'exchange' ? e.label : e.type));

  function setup(options: { replayable?: number; replayChars?: number } = {}) {
    const db = openMemoryDb();
    const store = createRecordingStore(db);
    const first = store.create('first', 1);
    const recorder = createRecorder({ store, currentRecordingId: first.id, ...options });
    const record = (...labels: string[]) => {
      const events = labels.map((label) => makeExchange({ label }));
      for (const event of events) recorder.record(event);
      return events;
    };
    return { db, store, first, recorder, record };
  }

  it('gives the events written after an id, in order, with those still queued', () => {
    const { recorder, record } = setup();
    const [, b] = record('a', 'b');
    recorder.flush();
    record('c', 'd'); // queued, not written yet
    expect(recorder.pending).toBe(2);
    expect(labelsOf(recorder.replay(b!.id))).toEqual(['c', 'd']);
    expect(recorder.pending).toBe(0);
    expect(labelsOf(recorder.replay())).toEqual(['a', 'b', 'c', 'd']);
    const last = recorder.replay().at(-1)!;
    expect(recorder.replay(last.id)).toEqual([]);
  });

  it('keeps the last `replayable` events: an id older than those gets them all', () => {
    const { recorder, record } = setup({ replayable: 3 });
    const [a] = record('a', 'b', 'c', 'd', 'e');
    expect(labelsOf(recorder.replay())).toEqual(['c', 'd', 'e']);
    expect(labelsOf(recorder.replay(a!.id))).toEqual(['c', 'd', 'e']);
    expect(labelsOf(recorder.replay('never-published'))).toEqual(['c', 'd', 'e']);
  });

  it('bounds the replay by its text, keeping the newest events, and at least one however large', () => {
    const { store, recorder } = setup({ replayChars: 3000 });
    const small = () => makeExchange({ label: 'small', responseBody: 'x'.repeat(800) });
    const events = [small(), small(), small(), small()];
    for (const event of events) recorder.record(event);
    const replayed = recorder.replay();
    const size = store.serialize(events[0]!).length;
    expect(replayed.length).toBe(Math.floor(3000 / size));
    expect(replayed.map((e) => e.id)).toEqual(events.slice(-replayed.length).map((e) => e.id));
    const big = makeExchange({ label: 'big', responseBody: 'y'.repeat(10_000) });
    recorder.record(big);
    expect(recorder.replay().map((e) => e.id)).toEqual([big.id]);
  });

  it('leaves out what was not published: events of earlier launches, imports, deleted recordings', async () => {
    const { db, store, first, recorder, record } = setup();
    record('earlier launch');
    recorder.close();
    const next = createRecorder({ store, currentRecordingId: first.id });
    next.record(makeExchange({ label: 'a' }));
    next.flush();
    const imported = await importRecording(store, {
      schemaVersion: LAB_EVENT_SCHEMA_VERSION,
      id: 'exported',
      name: 'imported',
      createdAt: 0,
      events: [makeExchange({ label: 'imported' })],
    });
    const doomed = store.create('doomed', 2);
    next.setCurrent(doomed.id);
    next.record(makeExchange({ label: 'deleted' }));
    next.setCurrent(first.id);
    next.record(makeExchange({ label: 'b' }));
    next.flush();
    store.delete(doomed.id);
    expect(labelsOf(next.replay())).toEqual(['a', 'b']);
    expect(store.summary(imported.id)!.eventCount).toBe(1);
    expect(db.prepare('SELECT COUNT(*) AS n FROM lab_events').get()).toEqual({ n: 4 });
  });

  it('resumes after the latest event of an id written twice', () => {
    const { recorder } = setup();
    const event = makeExchange({ label: 'first' });
    recorder.record(event);
    recorder.record(makeExchange({ label: 'between' }));
    recorder.record({ ...event, label: 'again' });
    recorder.record(makeExchange({ label: 'after' }));
    expect(labelsOf(recorder.replay(event.id))).toEqual(['after']);
  });

  it('tells apart two ids with the same hash: it resumes after the one asked for', () => {
    const { recorder } = setup();
    const [asked, other] = ['event-95618', 'event-240320'];
    expect(eventIdHash(asked)).toBe(eventIdHash(other)); // FNV-1a gives both the same 32 bits
    recorder.record(makeExchange({ id: asked, label: 'asked' }));
    recorder.record(makeExchange({ id: other, label: 'same hash' }));
    recorder.record(makeExchange({ label: 'after' }));
    expect(labelsOf(recorder.replay(asked))).toEqual(['same hash', 'after']);
    expect(labelsOf(recorder.replay(other))).toEqual(['after']);
  });
});

describe('recording store', () => {
  it('lists, renames, deletes and pages through events in order', () => {
    const store = createRecordingStore(openMemoryDb());
    const r = store.create('one', 10);
    store.append(
      Array.from({ length: 7 }, (_, i) => ({ recordingId: r.id, event: makeExchange({ label: `e${i}` }) })),
    );
    expect([...store.events(r.id, { pageSize: 3 })].map((e) => e.type === 'exchange' && e.label)).toEqual([
      'e0',
      'e1',
      'e2',
      'e3',
      'e4',
      'e5',
      'e6',
    ]);
    expect(store.rename(r.id, 'renamed')).toMatchObject({ name: 'renamed', eventCount: 7 });
    expect(store.rename('nope', 'x')).toBeUndefined();
    expect(store.list().map((s) => s.name)).toEqual(['renamed']);
    expect(store.delete(r.id)).toBe(true);
    expect(store.delete(r.id)).toBe(false);
    expect([...store.events(r.id)]).toEqual([]);
  });

  it('merging views leaves out the client view of a request the server also saw', () => {
    const store = createRecordingStore(openMemoryDb());
    const r = store.create('views', 1);
    const shared = { traceId: 'b'.repeat(32), spanId: 'c'.repeat(16) };
    store.append([
      { recordingId: r.id, event: makeExchange({ ...shared, observer: 'client', label: 'client view' }) },
      {
        recordingId: r.id,
        event: makeExchange({
          ...shared,
          observer: 'server',
          label: 'server view',
          requestHeaders: namedSpanHeaders(shared),
        }),
      },
      { recordingId: r.id, event: makeExchange({ observer: 'client', label: 'client only' }) },
    ]);
    const labels = [...store.events(r.id, { mergeViews: true })].map((e) => e.type === 'exchange' && e.label);
    expect(labels).toEqual(['server view', 'client only']);
    expect([...store.events(r.id)]).toHaveLength(3);
  });

  it('merges the views in either order and across batches, within one recording only', () => {
    const store = createRecordingStore(openMemoryDb());
    const [a, b] = [store.create('a', 1), store.create('b', 2)];
    const shared = { traceId: 'd'.repeat(32), spanId: 'e'.repeat(16) };
    store.append([
      {
        recordingId: a.id,
        event: makeExchange({
          ...shared,
          observer: 'server',
          label: 'server',
          requestHeaders: namedSpanHeaders(shared),
        }),
      },
    ]);
    store.append([
      { recordingId: b.id, event: makeExchange({ ...shared, observer: 'client', label: 'other' }) },
    ]);
    store.append([
      { recordingId: a.id, event: makeExchange({ ...shared, observer: 'client', label: 'client' }) },
    ]);
    const labels = (id: string) =>
      [...store.events(id, { mergeViews: true })].map((e) => e.type === 'exchange' && e.label);
    expect(labels(a.id)).toEqual(['server']);
    expect(labels(b.id)).toEqual(['other']);
  });

  it('merges no view into a server view whose request named no span (no traceparent)', () => {
    const store = createRecordingStore(openMemoryDb());
    const r = store.create('unnamed', 1);
    const first = { traceId: '2'.repeat(32), spanId: '3'.repeat(16) };
    const second = { traceId: '4'.repeat(32), spanId: '5'.repeat(16) };
    for (const event of [
      makeExchange({ ...first, observer: 'server', label: 'server, then' }),
      makeExchange({ ...first, observer: 'client', label: 'client' }),
      makeExchange({ ...second, observer: 'client', label: 'client, then' }),
      makeExchange({ ...second, observer: 'server', label: 'server' }),
    ]) {
      store.append([{ recordingId: r.id, event }]);
    }
    const labels = [...store.events(r.id, { mergeViews: true })].map((e) => e.type === 'exchange' && e.label);
    expect(labels).toEqual(['server, then', 'client', 'client, then', 'server']);
  });

  it('flags the client views already stored when the lab migrates, and reads an unmigrated database', () => {
    const db = openMemoryDb();
    migrate(db, 'lab', labMigrations.slice(0, 2));
    db.prepare('INSERT INTO lab_recordings (id, name, created_at) VALUES (?, ?, ?)').run('old', 'old', 0);
    const row = db.prepare(
      `INSERT INTO lab_events (recording_id, event_id, type, observer, trace_id, span_id, label, status, json)
       VALUES ('old', ?, 'exchange', ?, ?, ?, ?, 200, ?)`,
    );
    const shared = { traceId: 'f'.repeat(32), spanId: '1'.repeat(16), recordingId: 'old' };
    for (const event of [
      makeExchange({ ...shared, observer: 'client', label: 'client view' }),
      makeExchange({ ...shared, observer: 'server', label: 'server view' }),
      makeExchange({ recordingId: 'old', observer: 'client', label: 'client only' }),
    ]) {
      row.run(event.id, event.observer, event.traceId, event.spanId, event.label, JSON.stringify(event));
    }
    const labels = (store: ReturnType<typeof createRecordingStore>) =>
      [...store.events('old', { mergeViews: true })].map((e) => e.type === 'exchange' && e.label);
    expect(labels(createRecordingStore(db, { migrateSchema: false }))).toEqual([
      'server view',
      'client only',
    ]);
    expect(labels(createRecordingStore(db))).toEqual(['server view', 'client only']);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as {
      name: string;
    }[];
    expect(indexes.map((i) => i.name)).not.toContain('lab_events_by_span');
  });
});

describe('the recorder’s staging buffer (texts wait there in UTF-8 until written to the event log)', () => {
  const dirs = tempDirs('recorder-staging-');
  afterEach(dirs.removeAll);
  /** A store on a database file: it writes texts to an event log, so the recorder stages them. */
  const fileStore = () => createRecordingStore(openDatabase({ dataDir: dirs.make() }));
  const bodies = (store: ReturnType<typeof createRecordingStore>, id: string) =>
    [...store.events(id)].map((e) => (e.type === 'exchange' ? e.requestBody : e.type));

  it('writes a batch before it fills, and every text reads back whole, multi-byte ones included', () => {
    const store = fileStore();
    const rec = store.create('r', 1);
    const append = vi.spyOn(store, 'append');
    const recorder = createRecorder({ store, currentRecordingId: rec.id, stagingBytes: 8 * 1024 });
    const sent = Array.from({ length: 40 }, (_, i) => `n=${i}&v=${'é€😀'.repeat(20 + i)}`);
    for (const requestBody of sent) recorder.record(makeExchange({ requestBody }));
    recorder.flush();
    expect(append.mock.calls.length).toBeGreaterThan(5); // the buffer filled up, again and again
    expect(bodies(store, rec.id)).toEqual(sent);
  });

  it('gives a text longer than the buffer a buffer of its own', () => {
    const store = fileStore();
    const rec = store.create('r', 1);
    const recorder = createRecorder({ store, currentRecordingId: rec.id, stagingBytes: 1024 });
    const sent = ['small', 'x'.repeat(5000), 'small again'];
    for (const requestBody of sent) recorder.record(makeExchange({ requestBody }));
    recorder.flush();
    expect(bodies(store, rec.id)).toEqual(sent);
  });

  it('uses its space again only for what is recorded after a batch was written', () => {
    const store = fileStore();
    const rec = store.create('r', 1);
    const recorder = createRecorder({ store, currentRecordingId: rec.id, stagingBytes: 64 * 1024 });
    recorder.record(makeExchange({ requestBody: 'first' }));
    recorder.flush();
    recorder.record(makeExchange({ requestBody: 'second, over the first one’s bytes' }));
    recorder.record(makeExchange({ requestBody: 'third' }));
    recorder.flush();
    expect(bodies(store, rec.id)).toEqual(['first', 'second, over the first one’s bytes', 'third']);
  });

  it('gives a store that keeps texts in their rows (in memory) the string, staged nowhere', () => {
    const store = createRecordingStore(openMemoryDb());
    const rec = store.create('r', 1);
    const append = vi.spyOn(store, 'append');
    const recorder = createRecorder({ store, currentRecordingId: rec.id, stagingBytes: 1024 });
    recorder.record(makeExchange({ requestBody: 'kept as it is' }));
    recorder.flush();
    expect(append.mock.calls.flat(2).map((item) => typeof (item as { stored?: unknown }).stored)).toEqual([
      'string',
    ]);
    expect(bodies(store, rec.id)).toEqual(['kept as it is']);
  });
});
