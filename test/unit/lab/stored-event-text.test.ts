import { describe, expect, it } from 'vitest';
import { fromStoredText, toStoredText } from '../../../src/server/lab/stored-event-text';
import { createRecordingStore } from '../../../src/server/lab/recording-store';
import { makeExchange, openMemoryDb } from './helpers';

describe('the text an event is stored as', () => {
  it('keeps the bodies of an exchange verbatim, out of the JSON, and reads them back exactly', () => {
    const requestBody = 'grant_type=client_credentials&scope=a+b%20c';
    const responseBody = '{"access_token":"eyJ.x.y","note":"line one\nline two \\" été 🔑"}';
    const exchange = makeExchange({ requestBody, responseBody });
    const text = toStoredText(exchange);
    // The bodies follow the JSON as they are: no quote of them escaped.
    expect(text.endsWith(`\n${requestBody}${responseBody}`)).toBe(true);
    expect(text.slice(0, text.indexOf('\n'))).not.toContain('access_token');
    expect(fromStoredText(text)).toEqual(exchange);
  });

  it('tells no body (null) from an empty one', () => {
    for (const [requestBody, responseBody] of [
      [null, null],
      ['', null],
      [null, ''],
      ['', ''],
      ['a=1', null],
    ] as const) {
      const exchange = makeExchange({ requestBody, responseBody });
      expect(fromStoredText(toStoredText(exchange)), `${requestBody} ${responseBody}`).toEqual(exchange);
    }
  });

  it('stores other events as plain JSON, and reads plain JSON (events stored before this form)', () => {
    const note = { type: 'note', id: 'n1', at: 0, text: 'a\nb' };
    expect(toStoredText(note)).toBe(JSON.stringify(note));
    const exchange = makeExchange({ requestBody: 'a=1', responseBody: '{"b":2}' });
    expect(fromStoredText(JSON.stringify(exchange))).toEqual(exchange);
  });

  it('refuses a text whose bodies do not have the lengths it names', () => {
    const text = toStoredText(makeExchange({ requestBody: 'a=1', responseBody: '{"b":2}' }));
    expect(() => fromStoredText(text.slice(0, -1))).toThrow(/lengths/);
    expect(() => fromStoredText(`${text}x`)).toThrow(/lengths/);
  });

  it('is what the store writes and reads: an exchange round-trips through SQLite', () => {
    const store = createRecordingStore(openMemoryDb());
    const recording = store.create('r', 0);
    const event = makeExchange({
      recordingId: recording.id,
      requestBody: 'x=1\r\n',
      responseBody: '{"multi":"line\nbody"}',
    });
    store.append([{ recordingId: recording.id, event }]);
    expect([...store.events(recording.id)]).toEqual([event]);
  });

  it('stores bodies holding lone surrogates as they read back (U+FFFD), and they read back', () => {
    // A body reported by the demo client or imported as JSON may hold "\ud800"; UTF-8 has no form for it.
    const store = createRecordingStore(openMemoryDb());
    const recording = store.create('r', 0);
    const event = makeExchange({
      recordingId: recording.id,
      requestBody: 'a\ud800b',
      responseBody: '\udc00ok',
    });
    const after = makeExchange({ recordingId: recording.id, requestBody: 'c=d', responseBody: 'ok' });
    store.append([
      { recordingId: recording.id, event },
      { recordingId: recording.id, event: after },
    ]);
    expect([...store.events(recording.id)]).toEqual([
      { ...event, requestBody: 'a\ufffdb', responseBody: '\ufffdok' },
      after,
    ]);
  });

  it('reads an event it cannot read back as a note saying so, and the rest of the recording as it was', () => {
    const db = openMemoryDb();
    const store = createRecordingStore(db);
    const recording = store.create('r', 0);
    const before = makeExchange({ recordingId: recording.id, requestBody: 'a=1', responseBody: 'ok' });
    const damaged = makeExchange({ recordingId: recording.id, requestBody: 'b=2', responseBody: 'ok' });
    const after = makeExchange({ recordingId: recording.id, requestBody: 'c=3', responseBody: 'ok' });
    store.append([before, damaged, after].map((event) => ({ recordingId: recording.id, event })));
    // Its bodies no longer have the lengths its JSON names (as a lone surrogate once made them).
    db.prepare("UPDATE lab_events SET json = json || '\uFFFD\uFFFD' WHERE event_id = ?").run(damaged.id);

    const events = [...store.events(recording.id)];
    expect(events[0]).toEqual(before);
    expect(events[1]).toMatchObject({ type: 'note', recordingId: recording.id, at: damaged.startedAt });
    expect(events[1]?.type === 'note' && events[1].text).toMatch(/could not be read back \(.*lengths/);
    expect(events[2]).toEqual(after);
  });
});
