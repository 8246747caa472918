import { describe, expect, it } from 'vitest';
import { jsonDepthWithin, MAX_JWT_JSON_DEPTH } from '../../../src/common/json-depth';

/** `{"a":[[…]]}`: an object holding arrays, `depth` levels in all. */
const nested = (depth: number): unknown =>
  JSON.parse(`{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`);

describe('jsonDepthWithin', () => {
  it('counts objects and arrays, not scalars', () => {
    expect(jsonDepthWithin('text', 0)).toBe(true);
    expect(jsonDepthWithin({}, 0)).toBe(false);
    expect(jsonDepthWithin({}, 1)).toBe(true);
    expect(jsonDepthWithin({ a: { b: [1, 'x', null] } }, 3)).toBe(true);
    expect(jsonDepthWithin({ a: { b: [1, 'x', null] } }, 2)).toBe(false);
  });

  it('takes MAX_JWT_JSON_DEPTH levels and refuses one more', () => {
    expect(jsonDepthWithin(nested(MAX_JWT_JSON_DEPTH), MAX_JWT_JSON_DEPTH)).toBe(true);
    expect(jsonDepthWithin(nested(MAX_JWT_JSON_DEPTH + 1), MAX_JWT_JSON_DEPTH)).toBe(false);
  });

  it('measures a value nested 100,000 levels deep without running out of stack', () => {
    const deep = nested(100_000);
    expect(() => JSON.stringify(deep)).toThrow(RangeError); // what it guards against
    expect(jsonDepthWithin(deep, MAX_JWT_JSON_DEPTH)).toBe(false);
  });
});
