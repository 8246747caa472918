import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SERVE_NODE_OPTIONS } from '../cli/serve-node-options';
import { LAUNCHER } from './server-process';
import { scenarios, type ScenarioName } from './scenarios';

export interface BenchOptions {
  /** Connections of the closed loop. */
  readonly concurrency: number;
  /** Seconds of each timed window. */
  readonly durationSeconds: number;
  /** Timed rounds per scenario and mode (medians are taken over them). */
  readonly rounds: number;
  /** Cold starts measured (spawn → first discovery 200). */
  readonly coldStarts: number;
  /** Most requests prepared for one window (the count bound). */
  readonly maxRequests: number;
  readonly scenarios: readonly ScenarioName[];
  /** Capture on (as users run it), off, or both to price the capture. */
  readonly capture: readonly boolean[];
  /** Where the server writes V8 CPU profiles (node --cpu-prof), when asked. */
  readonly profileDir?: string;
  /**
   * The server's node options: those `npm run serve` gives it (SERVE_NODE_OPTIONS), or none with
   * --node-defaults (as the `trusty-lab` command starts), then any --server-node-option.
   */
  readonly serverNodeOptions: readonly string[];
  /** Appends and detail openings measured in the lab UI (0: the UI part is skipped). */
  readonly uiSamples: number;
  /** Where the JSON report goes. */
  readonly out: string;
  /**
   * Directory of another build's launcher (its `out/cli`): its servers run beside this build's, in the
   * same capture modes, window after window, and the summary compares the two.
   */
  readonly against?: string;
  /**
   * The servers with capture on keep the lab UI's live event stream open, read by a process of its
   * own, as when the lab UI is open: what serving the viewer adds shows in their CPU per request.
   */
  readonly viewer: boolean;
  /**
   * Each scenario's windows run on every server at once, the connections shared out among them,
   * instead of one server after the other: the modes are compared under the same moment's conditions.
   * The servers then share one core, which slows each of them: a paired run prices the capture (or
   * compares builds), it does not measure throughput, and its targets are not judged.
   */
  readonly paired: boolean;
  /**
   * Each timed round runs on new server processes, warmed up as the first ones were. A process can run
   * slower than another of the same build for its whole life: paired against itself, one build came
   * out 17% (client_credentials) and 56% (discovery) ahead in one run of four, in every round. With
   * new processes each round, such a process weighs on one round, and the median over rounds holds.
   */
  readonly restart: boolean;
}

export const BENCH_USAGE = `usage: node out/cli/bench.js [--concurrency N] [--duration S] [--rounds N] [--cold-starts N]
                            [--max-requests N] [--scenarios a,b] [--capture both|on|off]
                            [--profile DIR] [--node-defaults] [--server-node-option=OPT]...
                            [--ui-samples N] [--against DIR] [--viewer] [--paired] [--restart]
                            [--out FILE]
       node out/cli/bench.js instructions ...  (instructions per request, counted by valgrind)

  --concurrency N     connections of the closed loop (default 16)
  --duration S        seconds per timed window (default 0.5)
  --rounds N          timed rounds per scenario; figures are their medians (default 12); the
                      token scenarios run two windows a round on each server (A B B A)
  --cold-starts N     server cold starts measured (default 5); the last stays up 40 s for the RSS at rest
  --max-requests N    most requests prepared for one window (default 50000)
  --scenarios LIST    comma-separated subset of: ${scenarios.map((s) => s.name).join(', ')}
  --capture MODE      both (default): every scenario with capture on, then off; or on / off only
  --profile DIR       the server writes a CPU profile per run into DIR (node --cpu-prof)
  --node-defaults     the server's node without the options npm run serve gives it
                      (${SERVE_NODE_OPTIONS.join(' ')}), as the trusty-lab command starts it
  --server-node-option=OPT  pass OPT to the server's node after those (repeatable), e.g. a V8
                      flag to try: --server-node-option=--max-semi-space-size=4
  --ui-samples N      appends and detail openings timed in the lab UI, in Chromium, at 1,000
                      exchanges (default 20; 0 skips the UI part)
  --against DIR       also run another build (DIR holds its trusty-lab.js, e.g. a worktree's
                      out/cli) in the same modes, its windows interleaved with this build's, and
                      print the change from it per scenario, round by round
  --viewer            the servers with capture on keep the lab UI's event stream open, read by
                      a process of its own (as when the lab UI is open); targets are not judged
  --paired            each scenario's windows run on every server at once, the connections shared
                      out, instead of in turn: the capture's cost (or another build's change) under
                      the same moment's conditions; the servers share one core, so throughput and
                      latency are not the product's; targets are not judged; a change counts only
                      when it holds with the roles swapped (README, "Benchmark")
  --restart           each timed round on new server processes, warmed up first: a process that
                      runs slow all its life then spoils one round, not the run (slower: 3 s of
                      warm-up per scenario and round)
  --out FILE          the JSON report (default bench-results/bench.json)
  --help, -h          this text`;

/** The scenarios `--scenarios` names (comma-separated), or `fallback` when absent. */
export function chosenScenarios(
  value: string | undefined,
  fallback: readonly ScenarioName[],
): readonly ScenarioName[] {
  const known = new Set<string>(scenarios.map((s) => s.name));
  const chosen = value?.split(',').map((s) => s.trim()) ?? fallback;
  const unknown = chosen.filter((s) => !known.has(s));
  if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(', ')}`);
  return chosen as ScenarioName[];
}

/** `--capture both|on|off` as the modes to run: capture on, off, or both (the default). */
export function captureModes(value: string | undefined): readonly boolean[] {
  const capture = value ?? 'both';
  if (!['both', 'on', 'off'].includes(capture)) throw new Error('--capture must be both, on or off');
  return capture === 'both' ? [true, false] : [capture === 'on'];
}

/** `--against DIR`, resolved: a directory that holds another build's launcher (its out/cli). */
export function againstBuild(value: string | undefined): string | undefined {
  const against = value === undefined ? undefined : resolve(value);
  if (against !== undefined && !existsSync(join(against, LAUNCHER))) {
    throw new Error(`--against ${value}: no ${LAUNCHER} there (give a build's out/cli directory)`);
  }
  return against;
}

/** A numeric option in (0, max], or `fallback` when absent. */
export const positive = (value: string | undefined, name: string, fallback: number, max: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new Error(`${name} must be a number in (0, ${max}]`);
  return n;
};

/** Parses the command line; throws with a readable message on bad input (bounded values only). */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      concurrency: { type: 'string' },
      duration: { type: 'string' },
      rounds: { type: 'string' },
      'cold-starts': { type: 'string' },
      'max-requests': { type: 'string' },
      scenarios: { type: 'string' },
      capture: { type: 'string' },
      profile: { type: 'string' },
      'server-node-option': { type: 'string', multiple: true },
      'node-defaults': { type: 'boolean' },
      'ui-samples': { type: 'string' },
      out: { type: 'string' },
      against: { type: 'string' },
      viewer: { type: 'boolean' },
      paired: { type: 'boolean' },
      restart: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  const against = againstBuild(values.against);
  // A viewer's reading spans its server's life: with new servers each round, it would be the last one's.
  if (values.restart && values.viewer) throw new Error('--restart and --viewer cannot be combined');
  return {
    concurrency: Math.round(positive(values.concurrency, '--concurrency', 16, 256)),
    // Many short rounds rather than a few long ones: on this shared machine, a build measured against
    // itself came out within 7% in the medians of 12 rounds of 0.5 s, and up to 24% off in those of 3
    // rounds of 2 s (README, "Benchmark").
    durationSeconds: positive(values.duration, '--duration', 0.5, 60),
    rounds: Math.round(positive(values.rounds, '--rounds', 12, 20)),
    coldStarts: Math.round(positive(values['cold-starts'], '--cold-starts', 5, 20)),
    maxRequests: Math.round(positive(values['max-requests'], '--max-requests', 50_000, 200_000)),
    scenarios: chosenScenarios(
      values.scenarios,
      scenarios.map((s) => s.name),
    ),
    capture: captureModes(values.capture),
    ...(values.profile ? { profileDir: values.profile } : {}),
    serverNodeOptions: [
      ...(values['node-defaults'] ? [] : SERVE_NODE_OPTIONS),
      ...(values['server-node-option'] ?? []),
    ],
    uiSamples:
      values['ui-samples'] === '0' ? 0 : Math.round(positive(values['ui-samples'], '--ui-samples', 20, 200)),
    out: values.out ?? 'bench-results/bench.json',
    ...(against ? { against } : {}),
    viewer: values.viewer ?? false,
    paired: values.paired ?? false,
    restart: values.restart ?? false,
  };
}
