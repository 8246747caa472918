import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../src/common/lab-events';
import {
  distrustImportedSignatures,
  importByteLimit,
  importedRecording,
  RecordingRefused,
} from '../../../src/server/lab/imported-recording';
import { makeExchange } from './helpers';

const MB = 1024 * 1024;
const fields = { schemaVersion: 1, id: 'r1', name: 'crafted', createdAt: 0 };
const note = (id: string) => ({ type: 'note', id, at: 0, text: id });

/** The events of a body taken for a recording (its fields checked), to be iterated once. */
function eventsOf(body: unknown): Iterable<LabEvent> {
  const imported = importedRecording(body);
  if ('refused' in imported) throw new Error(imported.refused);
  return imported.recording.events;
}

describe('imported recordings', () => {
  it('keep their tokens but none of their claims to verified signatures', () => {
    const exchange: LabEvent = {
      ...makeExchange({}),
      jwts: [
        {
          location: 'request.header.DPoP',
          kind: 'dpop_proof',
          raw: 'a.b.c',
          header: {},
          payload: {},
          signature: { verified: true, key: 'server:kid' },
        },
      ],
    };
    const [first] = [...eventsOf({ ...fields, events: [exchange] })];
    expect(first?.type === 'exchange' && first.jwts[0]?.signature).toEqual({
      verified: null,
      detail: 'from an imported recording: not verified by this lab',
    });
    expect(first?.type === 'exchange' && first.jwts[0]?.raw).toBe('a.b.c');
    expect(distrustImportedSignatures(exchange)).toEqual(first);
  });

  it('are refused for their fields at once, and for an event when it is reached, named by its index', () => {
    expect(importedRecording({ ...fields, schemaVersion: 2, events: [] })).toMatchObject({
      refused: expect.stringMatching(/schemaVersion/),
    });
    expect(importedRecording({ ...fields, events: {} })).toEqual({
      refused: expect.stringMatching(/expected an array[\s\S]*events/),
    });
    expect(importedRecording(null)).toHaveProperty('refused');

    const body = () => ({ ...fields, events: [note('n0'), { ...note('n1'), at: 'soon' }] });
    const events = eventsOf(body())[Symbol.iterator]();
    expect(events.next().value).toMatchObject({ id: 'n0' });
    expect(() => events.next()).toThrow(RecordingRefused);
    expect(() => [...eventsOf(body())]).toThrow(/events\[1\]\.at/);
  });

  it('let go of each event as parsed from the body once it is checked', () => {
    const parsed = [note('n0'), note('n1'), note('n2')];
    const events = eventsOf({ ...fields, events: parsed })[Symbol.iterator]();
    events.next();
    events.next();
    expect(parsed).toEqual([undefined, undefined, note('n2')]);
  });

  it('are read up to 200 MB, or a quarter of what V8 may hold where that is less', () => {
    expect(importByteLimit(4345 * MB)).toBe(200 * MB);
    expect(importByteLimit(512 * MB)).toBe(128 * MB);
    // Whole megabytes, rounded down.
    expect(importByteLimit(514 * MB - 1)).toBe(128 * MB);
    expect(importByteLimit()).toBeGreaterThan(0);
  });
});
