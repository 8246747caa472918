import { describe, expect, it, vi } from 'vitest';
import type { Exchange } from '../../../src/common/lab-events';
import { migrate } from '../../../src/server/infrastructure/sqlite/migrate';
import { createRecorder } from '../../../src/server/lab/recorder';
import { labMigrations } from '../../../src/server/lab/recording-migrations';
import { createRecordingStore } from '../../../src/server/lab/recording-store';
import { fromStoredText } from '../../../src/server/lab/stored-event-text';
import { makeExchange, openMemoryDb } from './helpers';

const checks: Exchange['checks'] = [
  {
    id: 'dpop.typ',
    description: 'The DPoP proof has typ dpop+jwt',
    ref: 'RFC 9449 §4.3 (4)',
    outcome: 'passed',
  },
  {
    id: 'dpop.htu',
    description: 'The htu claim matches the request URI',
    ref: 'RFC 9449 §4.3 (9)',
    outcome: 'failed',
    detail: 'htu does not match',
    error: { error: 'invalid_dpop_proof', error_description: 'htu does not match', status: 400 },
  },
  {
    id: 'dpop.nonce',
    description: 'The proof carries the nonce the server gave',
    ref: 'RFC 9449 §8',
    outcome: 'skipped',
    detail: 'no nonce is required',
  },
];

describe('stored checks (the check catalogue)', () => {
  it('round-trip every kind of check exactly, through the store and through a replay', () => {
    const store = createRecordingStore(openMemoryDb());
    const event = makeExchange({ checks });
    expect(store.parse(store.serialize(event))).toEqual(event);

    const recording = store.create('r', 0);
    store.append([{ recordingId: recording.id, event }]);
    expect([...store.events(recording.id)]).toEqual([event]);

    const recorder = createRecorder({ store, currentRecordingId: recording.id });
    recorder.record(event);
    expect(recorder.replay()).toEqual([event]);
    recorder.close();
  });

  it('keep each description and clause once, not in every exchange', () => {
    const store = createRecordingStore(openMemoryDb());
    const event = makeExchange({ checks });
    const json = store.serialize(event);
    for (const check of checks) {
      expect(json).not.toContain(check.description);
      expect(json).not.toContain(check.ref);
    }
    // The detail and error of a failure are the exchange's own: they stay in it.
    expect(json).toContain('htu does not match');
    expect(json.length).toBeLessThan(JSON.stringify(event).length - 150);
  });

  it('survive a restart: another store on the database reads what the first wrote', () => {
    const db = openMemoryDb();
    const first = createRecordingStore(db);
    const event = makeExchange({ checks });
    const json = first.serialize(event);
    const second = createRecordingStore(db);
    expect(second.parse(json)).toEqual(event);
  });

  it('keep the words an exchange was recorded with when a check is reworded later', () => {
    const store = createRecordingStore(openMemoryDb());
    const before = makeExchange({ checks: [checks[0]!] });
    const reworded = { ...checks[0]!, description: 'The DPoP proof has typ dpop+jwt (RFC 8725 §3.11)' };
    const after = makeExchange({ checks: [reworded] });
    const [a, b] = [store.serialize(before), store.serialize(after)];
    expect(store.parse(a)).toEqual(before);
    expect(store.parse(b)).toEqual(after);
  });

  it('store a passed check as its number alone, and still read the [number, "passed"] of earlier versions', () => {
    const store = createRecordingStore(openMemoryDb());
    const event = makeExchange({ checks });
    const stored = fromStoredText(store.serialize(event)) as { checks: unknown[] };
    expect(typeof stored.checks[0]).toBe('number');
    expect(stored.checks.slice(1).every(Array.isArray)).toBe(true);

    const earlier = JSON.stringify({
      ...stored,
      checks: [[stored.checks[0], 'passed'], ...stored.checks.slice(1)],
    });
    expect(store.parse(earlier)).toEqual(event);
  });

  it('remember the number of a frozen pass by identity, and look up every other check by its words', () => {
    const store = createRecordingStore(openMemoryDb());
    const numbers = (check: Exchange['checks'][number]) =>
      (fromStoredText(store.serialize(makeExchange({ checks: [check] }))) as { checks: unknown[] }).checks;
    const frozen = Object.freeze({ ...checks[0]! });
    const [number] = numbers(frozen);
    expect(numbers(frozen)).toEqual([number]);
    expect(numbers({ ...checks[0]! })).toEqual([number]);
    // An object that can change is looked up again each time: reworded, it is another spec.
    const open = { ...checks[0]! };
    expect(numbers(open)).toEqual([number]);
    open.description = 'The DPoP proof has typ dpop+jwt, reworded';
    expect(numbers(open)).not.toEqual([number]);
    const reworded = makeExchange({ checks: [open] });
    expect(store.parse(store.serialize(reworded))).toEqual(reworded);
  });

  it('serialize a run of shared results once, and every other run as it is now', () => {
    const store = createRecordingStore(openMemoryDb());
    const [a, b, c] = [0, 1, 2].map((i) =>
      Object.freeze({ ...checks[0]!, id: `rule.${i}`, ref: `RFC 1 §${i}` }),
    );
    const stored = (run: Exchange['checks']) => {
      const event = makeExchange({ checks: run });
      const text = store.serialize(event);
      expect(store.parse(text)).toEqual(event);
      return (fromStoredText(text) as { checks: unknown[] }).checks;
    };
    const [na, nb, nc] = stored([a!, b!, c!]) as number[];
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      expect(stored([a!, b!, c!])).toEqual([na, nb, nc]);
      // The second time, only the exchange's other members were serialized: its checks were known.
      expect(stringify.mock.calls.some(([value]) => Array.isArray(value))).toBe(false);
    } finally {
      stringify.mockRestore();
    }
    // Same length, other results or another order: not the run kept.
    expect(stored([a!, c!, b!])).toEqual([na, nc, nb]);
    expect(stored([c!, b!, a!])).toEqual([nc, nb, na]);
    expect(stored([a!, b!])).toEqual([na, nb]);
    // A result that can change is read each time, even in a run otherwise known.
    const open = { ...checks[2]! };
    const first = stored([a!, open]);
    open.detail = 'a nonce is required after all';
    expect(stored([a!, open])).not.toEqual(first);
    // Many runs later (more than are kept), the first still reads as it was.
    for (let i = 0; i < 40; i++)
      stored([a!, ...Array<typeof a>(i % 3).fill(b), ...Array<typeof a>(i).fill(c)] as Exchange['checks']);
    expect(stored([a!, b!, c!])).toEqual([na, nb, nc]);
  });

  it('forget a check registered in a batch that failed: its number is not given to another', () => {
    const db = openMemoryDb();
    const store = createRecordingStore(db);
    const rec = store.create('r', 0);
    const first = { id: 'first.rule', description: 'Registered in a batch that fails', ref: 'RFC 1 §1' };
    const second = { id: 'second.rule', description: 'Registered after it', ref: 'RFC 2 §2' };
    // Frozen, as the provider reports a pass: remembered by identity too, and its run's JSON kept.
    const failing = makeExchange({ checks: [Object.freeze({ ...first, outcome: 'passed' as const })] });
    // A row SQLite refuses (its recording does not exist) after the check was registered.
    expect(() =>
      store.append([
        { recordingId: rec.id, event: failing },
        { recordingId: 'no such recording', event: makeExchange() },
      ]),
    ).toThrow(/FOREIGN KEY/);
    store.append([
      { recordingId: rec.id, event: makeExchange({ checks: [{ ...second, outcome: 'passed' }] }) },
      { recordingId: rec.id, event: failing },
    ]);
    const reread = createRecordingStore(db);
    expect([...reread.events(rec.id)].map((e) => (e.type === 'exchange' ? e.checks[0]?.id : ''))).toEqual([
      'second.rule',
      'first.rule',
    ]);
  });

  it('read exchanges stored with their checks in full (recordings of an earlier version)', () => {
    const db = openMemoryDb();
    migrate(db, 'lab', labMigrations.slice(0, 1));
    db.prepare('INSERT INTO lab_recordings (id, name, created_at) VALUES (?, ?, ?)').run('old', 'old', 0);
    const event = makeExchange({ checks, recordingId: 'old' });
    db.prepare(
      `INSERT INTO lab_events (recording_id, event_id, type, observer, trace_id, span_id, label, status, json)
       VALUES ('old', ?, 'exchange', 'server', ?, ?, 'token', 200, ?)`,
    ).run(event.id, event.traceId, event.spanId, JSON.stringify(event));

    // Read-only, without migrating (the recordings command on a lab of that version)...
    const readOnly = createRecordingStore(db, { migrateSchema: false });
    expect([...readOnly.events('old')]).toEqual([event]);
    // ... and after the migration, beside exchanges stored in the compact form.
    const migrated = createRecordingStore(db);
    const fresh = makeExchange({ checks, recordingId: 'old' });
    migrated.append([{ recordingId: 'old', event: fresh }]);
    expect([...migrated.events('old')]).toEqual([event, fresh]);
  });
});
