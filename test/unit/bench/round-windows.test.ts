import { describe, expect, it } from 'vitest';
import { roundOfWindows, windowRate, type WindowMeasure } from '../../../src/bench/round-windows';

const window = (over: Partial<WindowMeasure>): WindowMeasure => ({
  completed: 1000,
  errors: 0,
  errorKinds: {},
  elapsedMs: 500,
  latenciesMs: [1, 2, 3],
  serverCpuSeconds: 0.4,
  serverWrittenBytes: 2_000_000,
  serverRssMb: 100,
  serverPeakRssMb: 110,
  exhausted: false,
  ...over,
});

describe('roundOfWindows', () => {
  it('gives one window its own figures', () => {
    const round = roundOfWindows([window({ latenciesMs: [4, 1, 3, 2] })]);
    expect(round).toEqual({
      requestsPerSecond: 2000,
      p50Ms: 2,
      p99Ms: 4,
      completed: 1000,
      errors: 0,
      errorKinds: {},
      serverCpuMsPerRequest: 0.4,
      serverRssMb: 100,
      serverPeakRssMb: 110,
      serverWrittenBytesPerRequest: 2000,
      exhausted: false,
    });
  });

  it('takes two windows together: requests over time, not the mean of their rates', () => {
    // 1000 in 500 ms (2000/s) and 3000 in 1000 ms (3000/s): 4000 in 1.5 s, not 2500/s.
    const round = roundOfWindows([
      window({ completed: 1000, elapsedMs: 500, serverCpuSeconds: 0.5, serverWrittenBytes: 1000 }),
      window({ completed: 3000, elapsedMs: 1000, serverCpuSeconds: 1.5, serverWrittenBytes: 7000 }),
    ]);
    expect(round.requestsPerSecond).toBeCloseTo(4000 / 1.5, 9);
    expect(round.completed).toBe(4000);
    expect(round.serverCpuMsPerRequest).toBeCloseTo(0.5, 12);
    expect(round.serverWrittenBytesPerRequest).toBe(2);
    expect(round.windows).toBe(2);
  });

  it('pools the latencies before taking percentiles, sums errors by kind, keeps the last RSS and the highest peak', () => {
    const round = roundOfWindows([
      window({
        latenciesMs: [10, 10, 10, 10],
        errors: 2,
        errorKinds: { '503': 2 },
        serverRssMb: 90,
        serverPeakRssMb: 130,
      }),
      window({
        latenciesMs: [1, 1, 1, 1, 1, 1],
        errors: 3,
        errorKinds: { '503': 1, ECONNRESET: 2 },
        serverRssMb: 95,
        serverPeakRssMb: 120,
        exhausted: true,
      }),
    ]);
    // The pooled ten: six of 1 ms, four of 10 ms (the median of the windows' p50s would say 5.5).
    expect(round.p50Ms).toBe(1);
    expect(round.p99Ms).toBe(10);
    expect(round.errors).toBe(5);
    expect(round.errorKinds).toEqual({ '503': 3, ECONNRESET: 2 });
    expect(round.serverRssMb).toBe(95);
    expect(round.serverPeakRssMb).toBe(130);
    expect(round.exhausted).toBe(true);
  });

  it('refuses a round without a window', () => {
    expect(() => roundOfWindows([])).toThrow(/at least one window/);
  });
});

describe('windowRate', () => {
  it('is requests over elapsed time, NaN for no time', () => {
    expect(windowRate(window({ completed: 900, elapsedMs: 300 }))).toBe(3000);
    expect(windowRate(window({ elapsedMs: 0 }))).toBeNaN();
  });
});
