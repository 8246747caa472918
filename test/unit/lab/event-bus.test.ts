import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../src/common/lab-events';
import { createEventBus } from '../../../src/server/lab/event-bus';
import { makeExchange } from './helpers';

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

  it('replays events equal to what was published, non-ASCII text included', () => {
    const bus = createEventBus({ capacity: 3 });
    const event = { ...makeExchange(), responseBody: '{"name":"Zoë — 東京 🔐"}' };
    bus.publish(event);
    expect(bus.since()).toEqual([JSON.parse(JSON.stringify(event))]);
  });

  it('bounds the buffer by size too, keeping the newest event however large', () => {
    const events = Array.from({ length: 4 }, () => makeExchange());
    const one = Buffer.byteLength(JSON.stringify(events[0]));
    const bus = createEventBus({ capacity: 100, maxBytes: one * 2 + 40 });
    for (const e of events) bus.publish(e);
    expect(bus.since().map((e) => e.id)).toEqual(events.slice(2).map((e) => e.id));
    expect(bus.bufferedBytes).toBeLessThanOrEqual(one * 2 + 40);
    const big = { ...makeExchange(), responseBody: 'x'.repeat(one * 5) };
    bus.publish(big);
    expect(bus.since()).toEqual([JSON.parse(JSON.stringify(big))]);
    expect(bus.size).toBe(1);
    // The next event takes its place, and the ring goes on from there.
    const after = events.map((e) => ({ ...e, id: `${e.id}-after` }));
    for (const e of after) bus.publish(e);
    expect(bus.since().map((e) => e.id)).toEqual(after.slice(2).map((e) => e.id));
  });

  it('over thousands of events of random sizes, replays the newest ones, in order, intact, and wastes little', () => {
    // A seeded generator: the same sequence on every run.
    let seed = 0x2545f491;
    const random = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    const maxBytes = 64 * 1024;
    const capacity = 500;
    const bus = createEventBus({ capacity, maxBytes });
    const published: LabEvent[] = [];
    const sizes: number[] = [];
    let largest = 0;
    for (let i = 0; i < 5000; i++) {
      // Mostly small events, now and then one of up to half the buffer, and a few larger than it all.
      const roll = random();
      const bodyLength =
        roll < 0.9
          ? Math.floor(random() * 2000)
          : roll < 0.995
            ? Math.floor(random() * maxBytes * 0.5)
            : maxBytes;
      const event = { ...makeExchange(), responseBody: 'é'.repeat(bodyLength >> 1) };
      published.push(event);
      const bytes = Buffer.byteLength(JSON.stringify(event));
      sizes.push(bytes);
      bus.publish(event);
      const kept = bus.since();
      const keptIds = kept.map((e) => e.id);
      // A suffix of what was published, the newest always included.
      expect(keptIds).toEqual(published.slice(published.length - kept.length).map((e) => e.id));
      expect(kept.length).toBeGreaterThanOrEqual(1);
      expect(kept.length).toBeLessThanOrEqual(capacity);
      if (bytes > maxBytes) {
        expect(kept.length).toBe(1);
        continue;
      }
      largest = Math.max(largest, bytes);
      const keptBytes = sizes.slice(sizes.length - kept.length).reduce((a, b) => a + b, 0);
      expect(bus.bufferedBytes).toBe(keptBytes);
      expect(keptBytes).toBeLessThanOrEqual(maxBytes);
      // What is dropped beyond the bound is at most the gap before the oldest event and the unused
      // end of the buffer: less than two of the largest events.
      const olderBytes = sizes.slice(0, sizes.length - kept.length).reduce((a, b) => a + b, 0);
      if (olderBytes > 0 && kept.length < capacity && i % 50 === 0) {
        const sinceOversized = sizes.slice(sizes.findLastIndex((s) => s > maxBytes) + 1);
        const wanted = Math.min(
          sinceOversized.reduce((a, b) => a + b, 0),
          maxBytes - 2 * largest,
        );
        expect(keptBytes).toBeGreaterThanOrEqual(wanted);
      }
      if (i % 97 === 0) {
        expect(kept).toEqual(
          published.slice(published.length - kept.length).map((e) => JSON.parse(JSON.stringify(e))),
        );
      }
    }
  });
});
