import type { EventStreamReading } from './event-stream-reader';
import { percent, fixed, formatTable } from './text-table';
import type { CryptoLimit } from './crypto-limit';
import { median, relativeGrowth } from './stats';

/** One round of one scenario on one server: its timed window, or its windows taken together. */
export interface RoundResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly completed: number;
  readonly errors: number;
  readonly errorKinds: Readonly<Record<string, number>>;
  /** Server CPU (user + system) per request, ms. */
  readonly serverCpuMsPerRequest: number;
  readonly serverRssMb: number;
  readonly serverPeakRssMb: number;
  /**
   * Bytes the server passed to write(2) per request (/proc/PID/io `wchar`): its answers, the
   * replay-cache journal, and SQLite's WAL and checkpoints, which the capture's recordings add to.
   */
  readonly serverWrittenBytesPerRequest: number;
  /** The prepared requests ran out before the duration (the window was shorter). */
  readonly exhausted: boolean;
  /** Windows the round's figures were taken over, when more than one (round-windows.ts). */
  readonly windows?: number;
}

export interface ScenarioSummary {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly serverCpuMsPerRequest: number;
  readonly serverRssMb: number;
  readonly serverPeakRssMb: number;
  readonly serverWrittenBytesPerRequest: number;
}

/** Medians over rounds; errors are summed (any error matters). */
export function summarizeRounds(rounds: readonly RoundResult[]): ScenarioSummary {
  const m = (pick: (r: RoundResult) => number) => median(rounds.map(pick));
  return {
    requestsPerSecond: m((r) => r.requestsPerSecond),
    p50Ms: m((r) => r.p50Ms),
    p99Ms: m((r) => r.p99Ms),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    serverCpuMsPerRequest: m((r) => r.serverCpuMsPerRequest),
    serverRssMb: m((r) => r.serverRssMb),
    serverPeakRssMb: Math.max(...rounds.map((r) => r.serverPeakRssMb)),
    serverWrittenBytesPerRequest: m((r) => r.serverWrittenBytesPerRequest),
  };
}

export interface ModeResult {
  readonly capture: boolean;
  /** The other build's directory, for a mode of `--against`; absent for this build's. */
  readonly build?: string;
  /** With --viewer: what the reader of this server's lab event stream read (capture-on modes only). */
  readonly viewer?: EventStreamReading;
  /** The crypto limit measured on the server's core just before each round. */
  readonly cryptoLimits: readonly CryptoLimit[];
  readonly scenarios: Readonly<Record<string, { rounds: RoundResult[]; summary: ScenarioSummary }>>;
  /**
   * Server RSS of each round, MB: the median of the RSS read after each of its windows (one reading
   * moves by ±25 MB with the garbage collector's timing). Flat means bounded stores.
   */
  readonly roundRssMb: readonly number[];
  readonly peakRssMb: number;
}

export interface TargetCheck {
  readonly name: string;
  readonly measured: string;
  readonly target: string;
  readonly met: boolean;
}

export interface TargetInputs {
  /** With capture on, as users run the lab: what the target is judged on. */
  readonly clientCredentialsRatio: number;
  /** The same with capture off (reported beside it, not judged). */
  readonly clientCredentialsRatioWithoutCapture?: number;
  readonly coldStartMs: number;
  /** At rest, once V8's memory reducer has run: what the target is judged on. */
  readonly idleRssMb: number;
  /** One second after start-up (reported beside it, not judged). */
  readonly idleRssJustStartedMb?: number;
  /** Earlier at rest, often before V8's memory reducer is done (reported beside it, not judged). */
  readonly idleRssEarlier?: { readonly seconds: number; readonly mb: number };
  /**
   * Whether the figures under load (crypto-limit ratio, RSS, p99) were taken with capture on, as users
   * run the lab; when not (`--capture off`), their lines say so.
   */
  readonly loadWithCapture?: boolean;
  readonly peakRssUnderLoadMb: number;
  readonly roundRssMb: readonly number[];
  readonly worstP99Ms: number;
  readonly worstP99Scenario: string;
  /** That scenario's p99 in each round, shown beside the median it is judged on. */
  readonly worstP99Rounds?: readonly number[];
  /** Throughput lost to the capture on the token endpoint (median over its scenarios). */
  readonly captureCost: number;
  /**
   * The same in each round of each token scenario (the two modes' windows back to back): shown beside
   * the median, since on a shared machine they spread over more than the 10% the target allows.
   */
  readonly captureCostRounds?: readonly number[];
  /** The same over every scenario run (reported, not a target). */
  readonly captureCostAll?: number;
  /**
   * Answers other than the expected one in the timed windows, by scenario (both capture modes). A
   * window with errors measured something else than the scenario (a 503 is cheap to send), so the
   * figures of rate and latency are not judged on a run that had any.
   */
  readonly errorsUnderLoad?: Readonly<Record<string, number>>;
}

/** A measured figure with notes in brackets, those that are not empty. */
const withNotes = (measured: string, notes: readonly string[]): string => {
  const given = notes.filter((note) => note !== '');
  return given.length === 0 ? measured : `${measured} (${given.join('; ')})`;
};

/** A related figure as a note for `withNotes`: `label: value`, or none when it was not measured ('–'). */
const beside = (label: string, value: string, unit = ''): string =>
  value === '–' ? '' : `${label}: ${value}${unit}`;

/**
 * `rounds −11% to 22%` or `rounds 19.4 to 39.3 ms`: the lowest and highest of per-round figures;
 * empty for fewer than two.
 */
function roundsRange(rounds: readonly number[] | undefined, unit: '%' | 'ms'): string {
  const finite = (rounds ?? []).filter(Number.isFinite);
  if (finite.length < 2) return '';
  const [low, high] = [Math.min(...finite), Math.max(...finite)];
  return unit === '%'
    ? `rounds ${percent(low)} to ${percent(high)}`
    : `rounds ${fixed(low, 1)} to ${fixed(high, 1)} ms`;
}

/** Errors in the timed windows of every server of the run, by scenario. */
export function errorsByScenario(modes: readonly ModeResult[]): Record<string, number> {
  const errors: Record<string, number> = {};
  for (const mode of modes) {
    for (const [name, { summary }] of Object.entries(mode.scenarios)) {
      errors[name] = (errors[name] ?? 0) + summary.errors;
    }
  }
  return errors;
}

/** The targets, checked against measured figures (pure; tested). */
export function checkTargets(t: TargetInputs): TargetCheck[] {
  const growth = relativeGrowth(t.roundRssMb);
  const underLoad = (measured: string): string =>
    t.loadWithCapture === false ? `${measured} (capture off)` : measured;
  const erring = Object.entries(t.errorsUnderLoad ?? {}).filter(([, n]) => n > 0);
  const errors = erring.reduce((sum, [, n]) => sum + n, 0);
  /** A rate or latency target: not met, whatever the figure, when the windows had errors. */
  const valid = (check: TargetCheck): TargetCheck =>
    errors === 0
      ? check
      : { ...check, measured: `${check.measured}, not valid: ${errors} errors`, met: false };
  const errorLine: TargetCheck[] =
    t.errorsUnderLoad === undefined
      ? []
      : [
          {
            name: 'errors under load',
            measured: errors === 0 ? '0' : erring.map(([name, n]) => `${name} ${n}`).join(', '),
            target: '0',
            met: errors === 0,
          },
        ];
  return [
    valid({
      name: 'client_credentials + DPoP vs crypto limit (one core)',
      measured: underLoad(
        withNotes(percent(t.clientCredentialsRatio), [
          beside('without capture', percent(t.clientCredentialsRatioWithoutCapture)),
        ]),
      ),
      target: '≥ 60%',
      met: t.clientCredentialsRatio >= 0.6,
    }),
    {
      name: 'cold start to first discovery 200',
      measured: `${fixed(t.coldStartMs)} ms`,
      target: '< 250 ms',
      met: t.coldStartMs < 250,
    },
    {
      name: 'idle RSS, at rest',
      measured: withNotes(`${fixed(t.idleRssMb, 1)} MB`, [
        beside(`${t.idleRssEarlier?.seconds} s after start`, fixed(t.idleRssEarlier?.mb, 1), ' MB'),
        beside('1 s after start', fixed(t.idleRssJustStartedMb, 1), ' MB'),
      ]),
      target: '< 60 MB',
      met: t.idleRssMb < 60,
    },
    {
      name: 'peak RSS under sustained load',
      measured: underLoad(`${fixed(t.peakRssUnderLoadMb, 1)} MB`),
      target: '< 120 MB',
      met: t.peakRssUnderLoadMb < 120,
    },
    {
      name: 'RSS flat across rounds (first → last)',
      measured: underLoad(`${t.roundRssMb.map((v) => fixed(v, 0)).join(' → ')} MB (${percent(growth, 1)})`),
      target: '< 10% growth',
      met: Number.isFinite(growth) && growth < 0.1,
    },
    valid({
      name: 'p99 at 16 connections, worst scenario',
      measured: underLoad(
        withNotes(`${fixed(t.worstP99Ms, 1)} ms`, [t.worstP99Scenario, roundsRange(t.worstP99Rounds, 'ms')]),
      ),
      target: '< 20 ms',
      met: t.worstP99Ms < 20,
    }),
    valid({
      name: 'capture cost on the token endpoint',
      measured: !Number.isFinite(t.captureCost)
        ? 'not measured: it needs --capture both and a token scenario'
        : withNotes(percent(t.captureCost, 1), [
            roundsRange(t.captureCostRounds, '%'),
            percent(t.captureCostAll, 1) === '–' ? '' : `all scenarios: ${percent(t.captureCostAll, 1)}`,
          ]),
      target: '< 10%',
      met: t.captureCost < 0.1,
    }),
    ...errorLine,
  ];
}

/** The lab UI's budget, judged on the median of the samples; p90 and max shown beside. */
export function checkUiTargets(ui: {
  readonly exchanges: number;
  readonly appendMs: { readonly median: number; readonly p90: number; readonly max: number };
  readonly detailOpenMs: { readonly median: number; readonly p90: number; readonly max: number };
}): TargetCheck[] {
  const shown = (s: { median: number; p90: number; max: number }) =>
    `${fixed(s.median, 1)} ms (p90 ${fixed(s.p90, 1)}, max ${fixed(s.max, 1)})`;
  return [
    {
      name: `lab UI: append at ${ui.exchanges} exchanges`,
      measured: shown(ui.appendMs),
      target: '< 16 ms',
      met: ui.appendMs.median < 16,
    },
    {
      name: "lab UI: open an exchange's details",
      measured: shown(ui.detailOpenMs),
      target: '< 50 ms',
      met: ui.detailOpenMs.median < 50,
    },
  ];
}

/** The lab UI's line when its part broke: not met, with the reason. */
export function failedUiTarget(reason: string): TargetCheck {
  return {
    name: 'lab UI',
    measured: `failed: ${reason}`,
    target: 'append < 16 ms, details < 50 ms',
    met: false,
  };
}

export interface TableRow {
  readonly scenario: string;
  readonly on: ScenarioSummary;
  readonly off?: ScenarioSummary;
  readonly cryptoLimitRatio?: number;
  /** `pairedCaptureCost`, when the run had both modes. */
  readonly captureCost?: number;
}

/** The compact table printed at the end of `npm run bench`. */
export function renderScenarioTable(rows: readonly TableRow[]): string {
  return formatTable(
    [
      'scenario',
      'req/s',
      'p50 ms',
      'p99 ms',
      'errors',
      'CPU ms/req',
      'RSS MB',
      'peak MB',
      'of crypto limit',
      'req/s no capture',
      'capture cost',
    ],
    rows.map((r) => [
      r.scenario,
      fixed(r.on.requestsPerSecond),
      fixed(r.on.p50Ms, 2),
      fixed(r.on.p99Ms, 2),
      String(r.on.errors + (r.off?.errors ?? 0)),
      fixed(r.on.serverCpuMsPerRequest, 3),
      fixed(r.on.serverRssMb, 1),
      fixed(r.on.serverPeakRssMb, 1),
      r.cryptoLimitRatio === undefined ? '–' : percent(r.cryptoLimitRatio),
      r.off ? fixed(r.off.requestsPerSecond) : '–',
      r.captureCost === undefined ? '–' : percent(r.captureCost, 1),
    ]),
  );
}

/** Throughput lost to the capture, as a fraction of the throughput without it. */
export const captureCost = (withCapture: number, without: number): number =>
  without > 0 ? 1 - withCapture / without : Number.NaN;

/**
 * A scenario's capture cost over a run: the median over rounds of the cost in each round, the two
 * modes' windows of a round having run back to back. Not the cost between the medians of each mode,
 * which pairs windows of different rounds: one slow window without capture moved it by 14 points.
 */
export function pairedCaptureCost(
  withCapture: readonly RoundResult[],
  without: readonly RoundResult[],
): number {
  return median(pairedCaptureCosts(withCapture, without));
}

/** The capture cost of each round: its window with capture against its window without. */
export function pairedCaptureCosts(
  withCapture: readonly RoundResult[],
  without: readonly RoundResult[],
): number[] {
  return withCapture.flatMap((round, i) => {
    const other = without[i];
    return other ? [captureCost(round.requestsPerSecond, other.requestsPerSecond)] : [];
  });
}

export function renderTargets(checks: readonly TargetCheck[]): string {
  return formatTable(
    ['target', 'measured', 'wanted', 'met'],
    checks.map((c) => [c.name, c.measured, c.target, c.met ? 'yes' : 'NO']),
  );
}

/**
 * A scenario's throughput as a fraction of the crypto limit: round by round against the limit
 * measured just before that round, then the median of those ratios (pure; tested).
 */
export function cryptoLimitRatio(
  rounds: readonly RoundResult[],
  limits: readonly CryptoLimit[],
  pick: (limit: CryptoLimit) => number,
): number {
  const ratios = rounds.flatMap((round, i) => {
    const limit = limits[i];
    return limit ? [round.requestsPerSecond / pick(limit)] : [];
  });
  return median(ratios);
}
