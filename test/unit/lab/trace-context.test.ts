import { describe, expect, it } from 'vitest';
import {
  formatTraceparent,
  newSpanId,
  newTraceId,
  parseTraceparent,
} from '../../../src/server/lab/trace-context';
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

  it('replays events equal to what was published', () => {
    const bus = createEventBus({ capacity: 3 });
    const event = makeExchange();
    bus.publish(event);
    expect(bus.since()).toEqual([JSON.parse(JSON.stringify(event))]);
  });

  it('bounds the buffer by size too, keeping the newest event however large', () => {
    const events = Array.from({ length: 4 }, () => makeExchange());
    const one = JSON.stringify(events[0]).length;
    const bus = createEventBus({ capacity: 100, maxChars: one * 2 + 10 });
    for (const e of events) bus.publish(e);
    expect(bus.since().map((e) => e.id)).toEqual(events.slice(2).map((e) => e.id));
    expect(bus.bufferedChars).toBeLessThanOrEqual(one * 2 + 10);
    const big = { ...makeExchange(), responseBody: 'x'.repeat(one * 5) };
    bus.publish(big);
    expect(bus.since().map((e) => e.id)).toEqual([big.id]);
    expect(bus.size).toBe(1);
  });
});

describe('trace and span ids', () => {
  it('are lower-case hex of the W3C lengths, and distinct', () => {
    const traces = new Set(Array.from({ length: 1000 }, () => newTraceId()));
    const spans = new Set(Array.from({ length: 1000 }, () => newSpanId()));
    expect(traces.size).toBe(1000);
    expect(spans.size).toBe(1000);
    for (const id of traces) expect(id).toMatch(/^[0-9a-f]{32}$/);
    for (const id of spans) expect(id).toMatch(/^[0-9a-f]{16}$/);
  });
});
