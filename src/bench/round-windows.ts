import type { RoundResult } from './bench-report';
import { percentile } from './stats';

/** What one timed window measured, before it becomes (part of) a round's figures. */
export interface WindowMeasure {
  readonly completed: number;
  readonly errors: number;
  readonly errorKinds: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
  readonly latenciesMs: readonly number[];
  /** Server CPU (user + system) spent in the window, seconds. */
  readonly serverCpuSeconds: number;
  /** Bytes the server passed to write(2) in the window (/proc/PID/io `wchar`). */
  readonly serverWrittenBytes: number;
  /** Read just after the window. */
  readonly serverRssMb: number;
  readonly serverPeakRssMb: number;
  readonly exhausted: boolean;
}

/** Requests a second: `completed` over `elapsedMs`; NaN for no time. */
const perSecond = (completed: number, elapsedMs: number): number =>
  elapsedMs > 0 ? (completed * 1000) / elapsedMs : Number.NaN;

/** A window's requests a second. */
export const windowRate = (w: WindowMeasure): number => perSecond(w.completed, w.elapsedMs);

/**
 * A round's figures for one server from its windows in that round, taken together: their requests
 * over their time, their latencies pooled, their CPU and bytes over their requests, the RSS read
 * after the last one. One window gives that window's figures.
 */
export function roundOfWindows(windows: readonly WindowMeasure[]): RoundResult {
  const last = windows.at(-1);
  if (!last) throw new Error('a round needs at least one window');
  const sum = (pick: (w: WindowMeasure) => number) => windows.reduce((n, w) => n + pick(w), 0);
  const completed = sum((w) => w.completed);
  const latencies = Float64Array.from(windows.flatMap((w) => w.latenciesMs)).sort();
  const errorKinds: Record<string, number> = {};
  for (const w of windows) {
    for (const [kind, n] of Object.entries(w.errorKinds)) errorKinds[kind] = (errorKinds[kind] ?? 0) + n;
  }
  return {
    requestsPerSecond: perSecond(
      completed,
      sum((w) => w.elapsedMs),
    ),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    completed,
    errors: sum((w) => w.errors),
    errorKinds,
    serverCpuMsPerRequest: completed > 0 ? (sum((w) => w.serverCpuSeconds) * 1000) / completed : Number.NaN,
    serverRssMb: last.serverRssMb,
    serverPeakRssMb: Math.max(...windows.map((w) => w.serverPeakRssMb)),
    serverWrittenBytesPerRequest: completed > 0 ? sum((w) => w.serverWrittenBytes) / completed : Number.NaN,
    exhausted: windows.some((w) => w.exhausted),
    ...(windows.length > 1 ? { windows: windows.length } : {}),
  };
}
