import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KEY_BYTES } from '../../../../src/server/infrastructure/replay-cache/jti-table';
import {
  MAX_JOURNAL_LINE_BYTES,
  writeJournalLine,
} from '../../../../src/server/infrastructure/replay-cache/journal-line';

/** The line as the journal wrote it through strings before: the reference. */
const lineOf = (expiresAt: number, key: Buffer): string =>
  `${expiresAt} ${key.toString('base64url', 0, KEY_BYTES)}\n`;

const written = (
  expiresAt: number,
  key: Buffer,
  at = 0,
): { line: string; length: number; buffer: Buffer } => {
  const buffer = Buffer.alloc(at + MAX_JOURNAL_LINE_BYTES + 8, '#');
  const length = writeJournalLine(buffer, at, expiresAt, key);
  return { line: buffer.toString('latin1', at, at + length), length, buffer };
};

describe('writeJournalLine: `${expiresAt} ${key}\\n` as bytes (RFC 4648 §5 base64url)', () => {
  it('writes what the string form wrote, for every byte value of a key and every length of expiry', () => {
    const keys = [
      Buffer.alloc(KEY_BYTES, 0x00),
      Buffer.alloc(KEY_BYTES, 0xff), // the last two characters of the alphabet: `-` and `_`
      Buffer.from(Array.from({ length: KEY_BYTES }, (_, i) => (i * 17 + 3) & 0xff)),
      ...Array.from({ length: 64 }, () => randomBytes(32)), // digests are longer: KEY_BYTES are kept
    ];
    const expiries = [0, 1, 9, 10, 99, 1000, 1_800_000_000_000, 137_438_953_471_000, Number.MAX_SAFE_INTEGER];
    for (let p = 10; p <= 1e15; p *= 10) expiries.push(p - 1, p, p + 1);
    for (const key of keys) {
      for (const expiresAt of [...expiries, ...expiries.map((e) => -e)]) {
        const { line, length } = written(expiresAt, key);
        expect(line, `${expiresAt}`).toBe(lineOf(expiresAt, key));
        expect(length).toBeLessThanOrEqual(MAX_JOURNAL_LINE_BYTES);
      }
    }
  });

  it('writes at the offset it is given and nothing past the line', () => {
    const key = randomBytes(KEY_BYTES);
    const { buffer, length } = written(-Number.MAX_SAFE_INTEGER, key, 5);
    expect(length).toBe(MAX_JOURNAL_LINE_BYTES);
    expect(buffer.toString('latin1', 0, 5)).toBe('#####');
    expect(buffer.toString('latin1', 5, 5 + length)).toBe(lineOf(-Number.MAX_SAFE_INTEGER, key));
    expect(buffer.toString('latin1', 5 + length)).toBe('#'.repeat(8));
  });

  it('refuses a key shorter than KEY_BYTES, having written nothing', () => {
    const buffer = Buffer.alloc(MAX_JOURNAL_LINE_BYTES, '#');
    expect(() => writeJournalLine(buffer, 0, 1, randomBytes(KEY_BYTES - 1))).toThrow(RangeError);
    expect(buffer.toString('latin1')).toBe('#'.repeat(MAX_JOURNAL_LINE_BYTES));
  });

  it('refuses an expiry that is not a safe integer, having written nothing', () => {
    for (const expiresAt of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -(2 ** 53)]) {
      const buffer = Buffer.alloc(MAX_JOURNAL_LINE_BYTES, '#');
      expect(() => writeJournalLine(buffer, 0, expiresAt, randomBytes(KEY_BYTES))).toThrow(RangeError);
      expect(buffer.toString('latin1')).toBe('#'.repeat(MAX_JOURNAL_LINE_BYTES));
    }
  });
});
