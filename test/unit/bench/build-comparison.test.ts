import { describe, expect, it } from 'vitest';
import type { RoundResult } from '../../../src/bench/bench-report';
import { compareBuilds, pairedChanges, renderBuildComparison } from '../../../src/bench/build-comparison';

const round = (requestsPerSecond: number, serverCpuMsPerRequest = 1): RoundResult => ({
  requestsPerSecond,
  p50Ms: 1,
  p99Ms: 2,
  completed: 300,
  errors: 0,
  errorKinds: {},
  serverCpuMsPerRequest,
  serverRssMb: 50,
  serverPeakRssMb: 60,
  serverWrittenBytesPerRequest: 2000,
  exhausted: false,
});

describe('pairedChanges', () => {
  it('compares round i with round i only, so a slow round of both builds cancels out', () => {
    // The second round ran on a slow minute: both builds lost half their throughput in it.
    const current = [round(1100), round(550), round(1100)];
    const against = [round(1000), round(500), round(1000)];
    expect(pairedChanges(current, against, (r) => r.requestsPerSecond)).toEqual([
      expect.closeTo(0.1),
      expect.closeTo(0.1),
      expect.closeTo(0.1),
    ]);
  });
  it('leaves out rounds the other build lacks or could not measure', () => {
    const changes = pairedChanges(
      [round(100), round(100), round(100)],
      [round(50), round(0)],
      (r) => r.requestsPerSecond,
    );
    expect(changes).toEqual([1]);
  });
});

describe('compareBuilds', () => {
  it('reports the median of the paired changes, not the change of the medians', () => {
    const current = [round(1000, 0.9), round(2000, 0.8), round(1500, 0.9)];
    const against = [round(1000, 1), round(1000, 1), round(2000, 1)];
    const c = compareBuilds('client_credentials', true, current, against);
    // Paired: 0, +100%, −25% → median 0; the medians alone (1500 vs 1000) would say +50%.
    expect(c.throughputChange).toBeCloseTo(0);
    expect(c.requestsPerSecond).toBe(1500);
    expect(c.againstRequestsPerSecond).toBe(1000);
    expect(c.cpuChange).toBeCloseTo(-0.1);
    expect(c.roundChanges).toHaveLength(3);
  });
  it('prints signed changes and every round', () => {
    const table = renderBuildComparison([
      compareBuilds(
        'discovery',
        false,
        [round(1100, 0.5), round(900, 0.5)],
        [round(1000, 0.5), round(1000, 0.5)],
      ),
    ]);
    const row = table.split('\n')[2] ?? '';
    expect(row).toMatch(/^discovery\s+off\s+1000\s+1000\s+0\.0%/);
    expect(row).toContain('+10.0% -10.0%');
  });
});
