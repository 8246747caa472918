import { describe, expect, it } from 'vitest';
import { median, percentile, relativeGrowth, summarizeLatencies } from '../../../src/bench/stats';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  it('p50 and p99 of 1..100 are 50 and 99', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
  });
  it('p99 of a small sample is its maximum, not an interpolation below it', () => {
    expect(percentile([1, 2, 3], 99)).toBe(3);
  });
  it('p0 is the minimum; no samples give NaN', () => {
    expect(percentile([4, 5], 0)).toBe(4);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('median', () => {
  it('takes the middle of an odd count, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
  });
  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('ignores non-finite values and gives NaN for none', () => {
    expect(median([Number.NaN, 7])).toBe(7);
    expect(median([])).toBeNaN();
  });
});

describe('summarizeLatencies', () => {
  it('sorts numerically (not as strings) before taking percentiles', () => {
    const summary = summarizeLatencies([10, 9, 100, 2]);
    expect(summary).toEqual({ count: 4, p50: 9, p99: 100, max: 100 });
  });
});

describe('relativeGrowth', () => {
  it('is the change from the first to the last value as a fraction of the first', () => {
    expect(relativeGrowth([100, 150, 110])).toBeCloseTo(0.1);
    expect(relativeGrowth([100, 90])).toBeCloseTo(-0.1);
  });
  it('is NaN without a usable first value', () => {
    expect(relativeGrowth([])).toBeNaN();
    expect(relativeGrowth([0, 5])).toBeNaN();
  });
});
