import { describe, expect, it } from 'vitest';
import {
  createLabClock,
  MAX_LAB_CLOCK_OFFSET_MS,
  type LabClockChange,
} from '../../../src/server/lab/lab-clock';

describe('lab clock', () => {
  it('runs on its base clock, advances and resets, announcing each change', () => {
    let base = 1_000_000;
    const clock = createLabClock({ now: () => base });
    const changes: LabClockChange[] = [];
    const stop = clock.onChange((c) => changes.push(c));
    expect(clock.now()).toBe(1_000_000);
    clock.advance(61_000, '+61 s');
    expect(clock.now()).toBe(1_061_000);
    base += 5;
    expect(clock.now()).toBe(1_061_005);
    clock.advance(600_000, '+10 min');
    expect(clock.offsetMs).toBe(661_000);
    clock.reset('reset');
    expect(clock.now()).toBe(base);
    expect(changes).toEqual([
      { offsetMs: 61_000, at: 1_061_000, reason: '+61 s' },
      { offsetMs: 661_000, at: 1_661_005, reason: '+10 min' },
      { offsetMs: 0, at: 1_000_005, reason: 'reset' },
    ]);
    stop();
    clock.advance(1, 'unheard');
    expect(changes).toHaveLength(3);
  });

  it('refuses to move backwards or by a non-number', () => {
    const clock = createLabClock({ now: () => 0 });
    expect(() => clock.advance(-1, 'back')).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN, 'nan')).toThrow(RangeError);
    expect(clock.offsetMs).toBe(0);
  });

  it('runs at most MAX_LAB_CLOCK_OFFSET_MS ahead in all, however the moves add up', () => {
    const clock = createLabClock({ now: () => 0 });
    clock.advance(MAX_LAB_CLOCK_OFFSET_MS - 1000, 'almost');
    clock.advance(1000, 'to the limit');
    expect(() => clock.advance(1, 'past it')).toThrow(RangeError);
    expect(clock.offsetMs).toBe(MAX_LAB_CLOCK_OFFSET_MS);
    expect(Number.isNaN(new Date(clock.now()).getTime())).toBe(false);
  });
});
