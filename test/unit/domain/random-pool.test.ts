import { describe, expect, it } from 'vitest';
import { fillRandom, randomHex } from '../../../src/server/domain/random-pool';

describe('the random pool', () => {
  it('hands out each byte once: 64 KB taken from a 4 KB pool hold no repeated 16-byte block', () => {
    const blocks = new Set(Array.from({ length: 4096 }, () => randomHex(16)));
    expect(blocks.size).toBe(4096);
    for (const block of blocks) expect(block).toMatch(/^[0-9a-f]{32}$/);
  });

  it('copies into the given place only', () => {
    const target = Buffer.alloc(32, 0xee);
    fillRandom(target, 8, 10);
    expect(target.subarray(0, 8).equals(Buffer.alloc(8, 0xee))).toBe(true);
    expect(target.subarray(18).equals(Buffer.alloc(14, 0xee))).toBe(true);
    // Ten random bytes are all 0xee with probability 2^-80.
    expect(target.subarray(8, 18).equals(Buffer.alloc(10, 0xee))).toBe(false);
  });

  it('refuses counts it cannot serve', () => {
    for (const count of [0, -1, 1.5, 4097, Number.NaN]) {
      expect(() => randomHex(count)).toThrow(RangeError);
      expect(() => fillRandom(Buffer.alloc(8), 0, count)).toThrow(RangeError);
    }
    expect(randomHex(4096)).toHaveLength(8192);
  });
});
