import { describe, expect, it } from 'vitest';
import { fromStoredText, toStoredText, type StoredHead } from '../../../src/server/lab/stored-event-text';
import { createRecordingStore } from '../../../src/server/lab/recording-store';
import type { Exchange } from '../../../src/common/lab-events';
import { makeExchange, openMemoryDb } from './helpers';

/** A recording in a store of its own, with an exchange for each pair of bodies (request, response). */
function recordingWith(...bodies: [string, string][]) {
  const db = openMemoryDb();
  const store = createRecordingStore(db);
  const { id } = store.create('r', 0);
  const events = bodies.map(([requestBody, responseBody]) =>
    makeExchange({ recordingId: id, requestBody, responseBody }),
  );
  store.append(events.map((event) => ({ recordingId: id, event })));
  return { db, id, events, readBack: () => [...store.events(id)] };
}

describe('the text an event is stored as', () => {
  it('keeps the bodies of an exchange verbatim, out of the JSON, and reads them back exactly', () => {
    const requestBody = 'grant_type=client_credentials&scope=a+b%20c';
    const responseBody = '{"access_token":"eyJ.x.y","note":"line one\nline two \\" été 🔑"}';
    const exchange = makeExchange({ requestBody, responseBody });
    const text = toStoredText(exchange);
    // The bodies follow the JSON (and the header blocks) as they are: no quote of them escaped.
    expect(text.endsWith(`${requestBody}${responseBody}`)).toBe(true);
    expect(text.slice(0, text.indexOf('\n'))).not.toContain('access_token');
    expect(fromStoredText(text)).toEqual(exchange);
  });

  it('keeps the headers out of the JSON too, verbatim, whatever their names and values hold', () => {
    const dpop = 'eyJ0eXAiOiJkcG9wK2p3dCJ9.eyJodG0iOiJQT1NUIn0.c2ln';
    const requestHeaders = {
      dpop,
      host: '127.0.0.1:4000',
      'x-quote': 'a "quoted", 12:34 value\\',
      'x-empty': '',
      'x-text': 'été 🔑 done',
      '123': 'a name of digits',
      __proto__: 'a header by that name',
    };
    Object.defineProperty(requestHeaders, '__proto__', { value: 'a header by that name', enumerable: true });
    const responseHeaders = { 'set-cookie': 'a=1\nb=2', 'content-length': '0' };
    const exchange = makeExchange({ requestHeaders, responseHeaders });
    const text = toStoredText(exchange);
    expect(text.slice(0, text.indexOf('\n'))).not.toContain(dpop);
    expect(text).toContain(`4:dpop${dpop.length}:${dpop}`);
    const back = fromStoredText(text) as typeof exchange;
    expect(back).toEqual(exchange);
    expect(Object.keys(back.requestHeaders)).toEqual(Object.keys(requestHeaders));
    expect(Object.getPrototypeOf(back.requestHeaders)).toBe(Object.prototype);
    // A lone surrogate has no UTF-8 form: it reads back as U+FFFD, as in bodies.
    const lone = makeExchange({ requestHeaders: { 'x-\ud800': 'v\udc00' } });
    expect((fromStoredText(toStoredText(lone)) as typeof lone).requestHeaders).toEqual({
      'x-\ufffd': 'v\ufffd',
    });
  });

  it('reads exchanges stored with their headers in the JSON, and refuses broken header blocks', () => {
    const exchange = makeExchange({ requestBody: 'a=1', responseBody: '{"b":2}' });
    const { requestBody, responseBody, ...head } = exchange;
    const before = `${JSON.stringify({ ...head, bodies: [3, 7] })}\n${requestBody}${responseBody}`;
    expect(fromStoredText(before)).toEqual(exchange);

    const text = toStoredText(makeExchange({ requestHeaders: { host: 'h' }, responseHeaders: {} }));
    const [json, tail] = [text.slice(0, text.indexOf('\n')), text.slice(text.indexOf('\n') + 1)];
    expect(tail.startsWith('4:host1:h')).toBe(true);
    for (const broken of ['4:hos', 'x:host1:h', '4:host9:h', '4:host']) {
      const lengths = json.replace(/"headers":\[\d+,\d+\]/, `"headers":[${broken.length},0]`);
      expect(() => fromStoredText(`${lengths}\n${broken}${tail.slice(9)}`), broken).toThrow(SyntaxError);
    }
    const tooLong = json.replace(/"headers":\[\d+,\d+\]/, '"headers":[900,0]');
    expect(() => fromStoredText(`${tooLong}\n${tail}`)).toThrow(SyntaxError);
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
    const note = { type: 'note' as const, id: 'n1', at: 0, text: 'a\nb' };
    expect(toStoredText(note)).toBe(JSON.stringify(note));
    const exchange = makeExchange({ requestBody: 'a=1', responseBody: '{"b":2}' });
    expect(fromStoredText(JSON.stringify(exchange))).toEqual(exchange);
  });

  it('keeps every member of an exchange, the optional ones too, and stores its checks as told', () => {
    const exchange = makeExchange({
      requestBody: 'a=1',
      responseBody: null,
      transportError: 'the connection closed',
      checks: [{ id: 'c', description: 'd', ref: 'RFC 1 §1', outcome: 'passed' }],
    });
    expect(fromStoredText(toStoredText(exchange))).toEqual(exchange);
    const { recordingId: _, ...unfiled } = exchange;
    expect(fromStoredText(toStoredText(unfiled))).toEqual(unfiled);
    const text = toStoredText(exchange, (checks) => JSON.stringify(checks.map(() => 7)));
    expect(fromStoredText(text)).toEqual({ ...exchange, checks: [7] });
  });

  it('writes the JSON of an exchange exactly as JSON.stringify would, whatever its members hold', () => {
    /** The JSON part of the stored text, and what JSON.stringify makes of the same members, in order. */
    const jsonParts = (exchange: Exchange) => {
      const text = toStoredText(exchange);
      const json = text.slice(0, text.indexOf('\n'));
      const { headers, bodies } = JSON.parse(json) as { headers: unknown; bodies: unknown };
      const e = exchange;
      const expected = JSON.stringify({
        type: e.type,
        id: e.id,
        recordingId: e.recordingId,
        traceId: e.traceId,
        spanId: e.spanId,
        observer: e.observer,
        from: e.from,
        to: e.to,
        label: e.label,
        method: e.method,
        url: e.url,
        status: e.status,
        startedAt: e.startedAt,
        durationMs: e.durationMs,
        jwts: e.jwts,
        transportError: e.transportError,
        headers,
        bodies,
        checks: e.checks,
      });
      return [json, expected];
    };
    const strings = [
      'plain',
      'a "quote"',
      'back\\slash',
      'line\nbreak',
      'bell\u0007',
      'lone \ud800',
      'pair 🔑',
      'été',
      '</script>',
      '\u2028',
      '',
    ];
    const numbers = [0, -0, 0.1 + 0.2, 1e21, -5e-7, NaN, Infinity, -Infinity];
    const variants: Partial<Exchange>[] = [
      {},
      { recordingId: 'r-1' },
      { transportError: 'the connection closed' },
      { status: null },
      { jwts: [{ token: 'eyJ.x.y', where: 'a "header"' }] as unknown as Exchange['jwts'] },
      ...strings.flatMap((value) =>
        (['id', 'recordingId', 'traceId', 'label', 'method', 'url', 'transportError'] as const).map(
          (member) => ({ [member]: value }),
        ),
      ),
      ...numbers.flatMap((value) => [{ startedAt: value }, { durationMs: value }, { status: value }]),
    ];
    for (const variant of variants) {
      const [json, expected] = jsonParts(makeExchange(variant));
      expect(json, JSON.stringify(variant)).toBe(expected);
    }
  });

  it('writes every member of the JSON part, in order: a member added to exchanges must be added here', () => {
    // Fails to compile when StoredHead (every member of Exchange but those stored apart) has another.
    const members = {
      type: true,
      id: true,
      recordingId: true,
      traceId: true,
      spanId: true,
      observer: true,
      from: true,
      to: true,
      label: true,
      method: true,
      url: true,
      status: true,
      startedAt: true,
      durationMs: true,
      jwts: true,
      transportError: true,
      headers: true,
      bodies: true,
    } satisfies Record<keyof StoredHead, true>;
    // Every optional member given, so that JSON.stringify would write it too.
    const text = toStoredText(makeExchange({ recordingId: 'r-1', transportError: 'closed' }));
    const json = JSON.parse(text.slice(0, text.indexOf('\n'))) as object;
    expect(Object.keys(json)).toEqual([...Object.keys(members), 'checks']);
  });

  it('refuses a text whose bodies do not have the lengths it names', () => {
    const text = toStoredText(makeExchange({ requestBody: 'a=1', responseBody: '{"b":2}' }));
    expect(() => fromStoredText(text.slice(0, -1))).toThrow(/lengths/);
    expect(() => fromStoredText(`${text}x`)).toThrow(/lengths/);
    // Lengths that add up but are none (a negative one would take the end of the JSON for a body).
    for (const bodies of [[-2, 2], [0.5, 0.5], ['0', null], undefined]) {
      expect(() => fromStoredText(`${JSON.stringify({ type: 'exchange', bodies })}\n`)).toThrow(/lengths/);
    }
  });

  it('is what the store writes and reads: an exchange round-trips through SQLite', () => {
    const { events, readBack } = recordingWith(['x=1\r\n', '{"multi":"line\nbody"}']);
    expect(readBack()).toEqual(events);
  });

  it('stores bodies holding lone surrogates as they read back (U+FFFD), and they read back', () => {
    // A body reported by the demo client or imported as JSON may hold "\ud800"; UTF-8 has no form for it.
    const { events, readBack } = recordingWith(['a\ud800b', '\udc00ok'], ['c=d', 'ok']);
    expect(readBack()).toEqual([
      { ...events[0], requestBody: 'a\ufffdb', responseBody: '\ufffdok' },
      events[1],
    ]);
  });

  it('reads an event it cannot read back as a note saying so, and the rest of the recording as it was', () => {
    const { db, id, events, readBack } = recordingWith(['a=1', 'ok'], ['b=2', 'ok'], ['c=3', 'ok']);
    const [before, damaged, after] = events;
    // Its bodies no longer have the lengths its JSON names (as a lone surrogate once made them).
    db.prepare("UPDATE lab_events SET json = json || '\uFFFD\uFFFD' WHERE event_id = ?").run(damaged?.id);

    const read = readBack();
    expect(read[0]).toEqual(before);
    expect(read[1]).toMatchObject({ type: 'note', recordingId: id, at: damaged?.startedAt });
    expect(read[1]?.type === 'note' && read[1].text).toMatch(/could not be read back \(.*lengths/);
    expect(read[2]).toEqual(after);
  });
});
