import { describe, expect, it } from 'vitest';
import { newTimeOrderedId } from '../../../src/server/domain/time-ordered-id';

// RFC 9562 §5.7: unix_ts_ms (48 bits), ver = 7, rand_a (12), var = 0b10, rand_b (62).
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The milliseconds an id carries in its first 48 bits. */
const timeOf = (id: string): number => Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('time-ordered ids (UUID version 7)', () => {
  it('carry the version and variant of RFC 9562 §5.7, and the given time in their first 48 bits', () => {
    const at = Date.UTC(2026, 10, 29, 14, 0, 0, 123);
    const id = newTimeOrderedId(at);
    expect(id).toMatch(UUID_V7);
    expect(timeOf(id)).toBe(at);
    const hex = at.toString(16).padStart(12, '0');
    expect(id.slice(0, 13)).toBe(`${hex.slice(0, 8)}-${hex.slice(8)}`);
  });

  it('sort as text in the order of their times, whatever their random bits', () => {
    const times = [0, 1, 255, 256, 2 ** 40, 1_700_000_000_000, 1_700_000_000_001, 2 ** 48 - 1];
    const ids = times.map((t) => newTimeOrderedId(t));
    expect([...ids].sort()).toEqual(ids);
    for (const [i, id] of ids.entries()) expect(timeOf(id)).toBe(times[i]);
  });

  it('differ within one millisecond (74 random bits)', () => {
    const ids = Array.from({ length: 5000 }, () => newTimeOrderedId(1_700_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });

  it('clamp times a UUID cannot hold (a lab clock moved before 1970, or fractions)', () => {
    expect(timeOf(newTimeOrderedId(-5))).toBe(0);
    expect(timeOf(newTimeOrderedId(2 ** 50))).toBe(2 ** 48 - 1);
    expect(timeOf(newTimeOrderedId(1000.9))).toBe(1000);
    expect(timeOf(newTimeOrderedId(Number.POSITIVE_INFINITY))).toBe(2 ** 48 - 1);
    expect(timeOf(newTimeOrderedId(Number.NaN))).toBe(0);
  });
});
