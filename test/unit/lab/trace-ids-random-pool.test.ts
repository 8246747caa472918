import { describe, expect, it, vi } from 'vitest';

// The first refill of the pool gives zeros only, as a broken or hostile source could; later ones are
// random. Whatever the pool holds, no id is all zeros (W3C Trace Context §3.2.2.3, §3.2.2.4).
const fills = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return {
    ...original,
    randomFillSync: <T extends NodeJS.ArrayBufferView>(buffer: T): T => {
      fills.count += 1;
      if (fills.count === 1) {
        new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).fill(0);
        return buffer;
      }
      return original.randomFillSync(buffer);
    },
  };
});

const { newSpanId, newTraceId } = await import('../../../src/server/lab/trace-context');

describe('trace and span ids from the random pool', () => {
  it('are never all zeros, even when the random source gave zeros', () => {
    const trace = newTraceId();
    expect(trace).toMatch(/^[0-9a-f]{32}$/);
    expect(trace).not.toMatch(/^0+$/);
    expect(fills.count).toBeGreaterThan(1);
    const span = newSpanId();
    expect(span).toMatch(/^[0-9a-f]{16}$/);
    expect(span).not.toMatch(/^0+$/);
  });

  it('refill the pool when it runs out, and do not repeat', () => {
    const before = fills.count;
    const ids = new Set(Array.from({ length: 1000 }, () => newTraceId()));
    expect(ids.size).toBe(1000);
    // 16 KB of ids from a 4 KB pool: refilled several times.
    expect(fills.count - before).toBeGreaterThanOrEqual(3);
  });
});
