import { describe, expect, it } from 'vitest';
import { JtiTable, KEY_BYTES } from '../../../../src/server/infrastructure/replay-cache/jti-table';

/** A key whose first word (the table's index) is `home`, told apart from others by `id`. */
function key(home: number, id: number): Buffer {
  const bytes = Buffer.alloc(KEY_BYTES);
  bytes.writeUInt32LE(home >>> 0, 0);
  bytes.writeUInt32LE(id >>> 0, 4);
  bytes.writeUInt32LE(0x9e3779b9, 8);
  bytes.writeUInt32LE(id * 7 + 1, 12);
  return bytes;
}

/** A deterministic pseudo-random sequence (xorshift32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Every key of `reference` is found with its value, and nothing else is held. */
function expectSame(table: JtiTable, reference: Map<string, number>): void {
  expect(table.size).toBe(reference.size);
  for (const [hex, value] of reference) expect(table.get(Buffer.from(hex, 'hex')), hex).toBe(value);
  const held = new Map<string, number>();
  table.forEach((k, value) => held.set(k.toString('hex'), value));
  expect(held).toEqual(reference);
}

describe('JtiTable (the replay cache entries, outside V8 heap)', () => {
  it('finds what it holds and nothing else; a value set again replaces the old one', () => {
    const table = new JtiTable();
    table.set(key(5, 1), 10);
    table.set(key(5, 2), 20); // same home slot: the next one
    table.set(key(5, 1), 11);
    expect(table.size).toBe(2);
    expect(table.get(key(5, 1))).toBe(11);
    expect(table.get(key(5, 2))).toBe(20);
    expect(table.get(key(5, 3))).toBeUndefined();
    expect(table.get(key(6, 1))).toBeUndefined();
  });

  it('refuses a value that is not positive (0 marks an empty slot) and a key too short', () => {
    const table = new JtiTable();
    expect(() => table.set(key(1, 1), 0)).toThrow(RangeError);
    expect(() => table.set(key(1, 1), Number.NaN)).toThrow(RangeError);
    expect(() => table.get(Buffer.alloc(KEY_BYTES - 1))).toThrow(RangeError);
    expect(table.size).toBe(0);
  });

  it('keeps every entry reachable through deletions in long runs that wrap around the table', () => {
    // Homes crowded at the end of the table and at its start, so that runs of taken slots are long,
    // cross the end, and a deletion must move entries back across it. A deletion that left a hole in
    // a run (or moved an entry before its home) would lose a key here: a replay let through.
    const next = random(0x2545f491);
    const homes = [1019, 1020, 1021, 1022, 1023, 0, 1, 2, 3, 511, 512];
    const table = new JtiTable();
    const reference = new Map<string, number>();
    for (let round = 0; round < 60; round++) {
      for (let i = 0; i < 40; i++) {
        const k = key(homes[Math.floor(next() * homes.length)] as number, Math.floor(next() * 400));
        const value = 1 + Math.floor(next() * 1000);
        table.set(k, value);
        reference.set(k.toString('hex'), value);
      }
      const cut = Math.floor(next() * 1000);
      const deleted: number[] = [];
      const removed = table.deleteWhere(
        (value) => value <= cut,
        (value) => deleted.push(value),
      );
      let expected = 0;
      for (const [hex, value] of reference) {
        if (value <= cut) {
          reference.delete(hex);
          expected += 1;
        }
      }
      expect(removed).toBe(expected);
      expect(deleted.length).toBe(expected);
      expect(deleted.every((value) => value <= cut)).toBe(true);
      expectSame(table, reference);
    }
  });

  it('grows past its first size and shrinks back as it empties, losing nothing', () => {
    const next = random(0x1234567);
    const table = new JtiTable();
    const reference = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const k = key(Math.floor(next() * 2 ** 32), i);
      table.set(k, 1 + (i % 97));
      reference.set(k.toString('hex'), 1 + (i % 97));
    }
    expectSame(table, reference);
    // Down to a few entries: the table shrinks (through the same rehashing as growth).
    table.deleteWhere(
      (value) => value > 1,
      () => undefined,
    );
    for (const [hex, value] of reference) if (value > 1) reference.delete(hex);
    expectSame(table, reference);
    for (let i = 0; i < 500; i++) {
      const k = key(Math.floor(next() * 2 ** 32), 100_000 + i);
      table.set(k, 5);
      reference.set(k.toString('hex'), 5);
    }
    expectSame(table, reference);
  });
});
