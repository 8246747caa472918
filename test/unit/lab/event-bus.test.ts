import { describe, expect, it, vi } from 'vitest';
import type { LabEvent } from '../../../src/common/lab-events';
import { createEventBus } from '../../../src/server/lab/event-bus';
import { makeExchange } from './helpers';

describe('event bus', () => {
  it('sends each event to every listener, in order, with whether the capture built it', () => {
    const bus = createEventBus();
    const seen: [string, string, boolean][] = [];
    const stopA = bus.subscribe((e, built) => seen.push(['a', e.id, built]));
    bus.subscribe((e, built) => seen.push(['b', e.id, built]));
    const [first, second] = [makeExchange(), makeExchange()];
    bus.publish(first);
    bus.publish(second, true);
    expect(seen).toEqual([
      ['a', first.id, false],
      ['b', first.id, false],
      ['a', second.id, true],
      ['b', second.id, true],
    ]);
    expect(bus.listenerCount()).toBe(2);
    stopA();
    bus.publish(makeExchange());
    expect(seen.filter(([who]) => who === 'a')).toHaveLength(2);
    expect(bus.listenerCount()).toBe(1);
  });

  it('keeps no events: a replay comes from its history (the recorder), asked with the last id seen', () => {
    const kept: LabEvent[] = [makeExchange()];
    const history = vi.fn((_id?: string) => kept);
    const bus = createEventBus({ history });
    expect(bus.since('ex-1')).toBe(kept);
    expect(bus.since()).toBe(kept);
    expect(history.mock.calls).toEqual([['ex-1'], [undefined]]);
    // Without a history, there is nothing to replay.
    const alone = createEventBus();
    alone.publish(makeExchange());
    expect(alone.since()).toEqual([]);
  });

  it('ends: every subscriber is told once and let go of; one that comes later is told at once', async () => {
    const bus = createEventBus();
    const ended: string[] = [];
    const seen: string[] = [];
    bus.subscribe(
      (e) => seen.push(e.id),
      () => ended.push('a'),
    );
    bus.subscribe(() => undefined);
    bus.end();
    bus.end();
    expect(ended).toEqual(['a']);
    expect(bus.listenerCount()).toBe(0);
    bus.publish(makeExchange());
    expect(seen).toEqual([]);
    // Told in a microtask, not during subscribe: the subscriber has its unsubscribe function by then.
    const late = vi.fn();
    const unsubscribe = bus.subscribe(() => undefined, late);
    expect(late).not.toHaveBeenCalled();
    await Promise.resolve();
    expect(late).toHaveBeenCalledTimes(1);
    expect(bus.listenerCount()).toBe(0);
    unsubscribe();
  });
});
