import { describe, expect, it } from 'vitest';
import { formatTraceparent, parseTraceparent } from '../../../src/server/lab/trace-context';
import { createEventBus } from '../../../src/server/lab/event-bus';
import { makeExchange } from './helpers';

describe('traceparent', () => {
  it('reads the trace id and parent span id', () => {
    expect(parseTraceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
    });
    const context = { traceId: '1'.repeat(32), spanId: '2'.repeat(16) };
    expect(parseTraceparent(formatTraceparent(context))).toEqual(context);
  });

  it.each([
    undefined,
    '',
    'nonsense',
    '00-00000000000000000000000000000000-b7ad6b7169203331-01',
    '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01',
    'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    '00-0af7651916cd43dd8448eb211c80319-b7ad6b7169203331-01',
  ])('rejects %s', (value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });
});

describe('event bus', () => {
  it('keeps only the last events and replays from an id', () => {
    const bus = createEventBus({ capacity: 3 });
    const events = Array.from({ length: 5 }, () => makeExchange());
    const seen: string[] = [];
    bus.subscribe((e) => seen.push(e.id));
    for (const e of events) bus.publish(e);
    expect(seen).toEqual(events.map((e) => e.id));
    expect(bus.size).toBe(3);
    expect(bus.since().map((e) => e.id)).toEqual(events.slice(2).map((e) => e.id));
    expect(bus.since(events[3]!.id).map((e) => e.id)).toEqual([events[4]!.id]);
    // An id older than the buffer: everything still buffered.
    expect(bus.since(events[0]!.id)).toHaveLength(3);
  });
});
