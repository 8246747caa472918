import { fillRandom } from './random-pool';

/** The largest time a version 7 UUID holds: 48 bits of milliseconds (the year 10889). */
const MAX_UNIX_MS = 2 ** 48 - 1;

const scratch = Buffer.alloc(16);

/**
 * A UUID version 7 (RFC 9562 §5.7): the Unix time in milliseconds in its first 48 bits, then the
 * version, 74 random bits and the variant. Ids minted later sort after earlier ones, as text too
 * (lower-case hex of fixed width), so rows keyed by them are appended at the end of their index.
 * Keyed by random (version 4) UUIDs, each new access-token row went to a random page of the `jti`
 * index, which had to be read in, and was written back whole to the WAL for that one row, once the
 * index outgrew SQLite's page cache.
 *
 * The time is the caller's clock (the lab may move it); out-of-range times are clamped (§6.1 leaves
 * their handling to the implementation). Ids of the same millisecond are ordered at random (§6.2
 * allows it): locality is what matters here, not a strict order.
 */
export function newTimeOrderedId(unixMs: number): string {
  const ms = Number.isNaN(unixMs) ? 0 : Math.min(Math.max(Math.floor(unixMs), 0), MAX_UNIX_MS);
  scratch.writeUIntBE(ms, 0, 6);
  fillRandom(scratch, 6, 10);
  // §4.2: version 0b0111 in the high nibble of octet 6; §4.1: variant 0b10 in the top bits of octet 8.
  scratch[6] = ((scratch[6] as number) & 0x0f) | 0x70;
  scratch[8] = ((scratch[8] as number) & 0x3f) | 0x80;
  const hex = scratch.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
