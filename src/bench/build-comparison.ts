import type { RoundResult } from './bench-report';
import { median } from './stats';
import { fixed, formatTable, percent } from './text-table';

/** This build against another (`--against`), one scenario in one capture mode. */
export interface BuildComparison {
  readonly scenario: string;
  readonly capture: boolean;
  readonly requestsPerSecond: number;
  readonly againstRequestsPerSecond: number;
  /** Median over rounds of (this ÷ against − 1); both builds' windows of a round run seconds apart. */
  readonly throughputChange: number;
  readonly serverCpuMsPerRequest: number;
  readonly againstServerCpuMsPerRequest: number;
  /** The same for the server's CPU per request (negative: this build needs less). */
  readonly cpuChange: number;
  /** Every round's throughput change: how far apart the rounds are is the noise of the figure. */
  readonly roundChanges: readonly number[];
}

/**
 * Change from `against` to `current`, round by round, then the median of those changes (pure;
 * tested). Pairing the rounds keeps a slow minute of a shared machine, which slows both windows of
 * a round alike, out of the figure.
 */
export function pairedChanges(
  current: readonly RoundResult[],
  against: readonly RoundResult[],
  pick: (round: RoundResult) => number,
): number[] {
  return current.flatMap((round, i) => {
    const other = against[i];
    if (!other) return [];
    const base = pick(other);
    return base > 0 && Number.isFinite(base) ? [pick(round) / base - 1] : [];
  });
}

export function compareBuilds(
  scenario: string,
  capture: boolean,
  current: readonly RoundResult[],
  against: readonly RoundResult[],
): BuildComparison {
  const rate = (r: RoundResult) => r.requestsPerSecond;
  const cpu = (r: RoundResult) => r.serverCpuMsPerRequest;
  const roundChanges = pairedChanges(current, against, rate);
  return {
    scenario,
    capture,
    requestsPerSecond: median(current.map(rate)),
    againstRequestsPerSecond: median(against.map(rate)),
    throughputChange: median(roundChanges),
    serverCpuMsPerRequest: median(current.map(cpu)),
    againstServerCpuMsPerRequest: median(against.map(cpu)),
    cpuChange: median(pairedChanges(current, against, cpu)),
    roundChanges,
  };
}

/** A change with its sign: +3.2%, -1.0%, 0.0% (never -0.0%). */
const signed = (value: number): string => {
  const text = percent(value, 1);
  if (text === '-0.0%') return '0.0%';
  return value > 0 && text !== '0.0%' ? `+${text}` : text;
};

/** The table `--against` adds to the summary. */
export function renderBuildComparison(rows: readonly BuildComparison[]): string {
  return formatTable(
    [
      'scenario',
      'capture',
      'req/s',
      'req/s against',
      'throughput',
      'CPU ms/req',
      'against',
      'CPU/req',
      'rounds (throughput)',
    ],
    rows.map((r) => [
      r.scenario,
      r.capture ? 'on' : 'off',
      fixed(r.requestsPerSecond),
      fixed(r.againstRequestsPerSecond),
      signed(r.throughputChange),
      fixed(r.serverCpuMsPerRequest, 3),
      fixed(r.againstServerCpuMsPerRequest, 3),
      signed(r.cpuChange),
      r.roundChanges.map((c) => signed(c)).join(' '),
    ]),
  );
}
