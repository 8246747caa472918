import { randomFillSync } from 'node:crypto';

/*
 * Random bytes for the ids minted on the request path (trace and span ids, time-ordered ids): taken
 * from a pool that node:crypto's generator refills 4 KB at a time, rather than one call per id.
 */
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

/** Where the next `count` unused bytes start, refilling the pool first when too few are left. */
function take(count: number): number {
  if (!Number.isInteger(count) || count < 1 || count > POOL_BYTES) {
    throw new RangeError(`random bytes are taken 1 to ${POOL_BYTES} at a time, not ${count}`);
  }
  if (used + count > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const start = used;
  used += count;
  return start;
}

/** Copies `count` random bytes into `target` at `offset`; each byte is handed out once. */
export function fillRandom(target: Buffer, offset: number, count: number): void {
  const start = take(count);
  pool.copy(target, offset, start, start + count);
}

/** `count` random bytes as lower-case hex. */
export function randomHex(count: number): string {
  const start = take(count);
  return pool.toString('hex', start, start + count);
}
