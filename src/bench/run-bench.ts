import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { SERVE_NODE_OPTIONS } from '../cli/serve-node-options';
import { createBenchClient, writeBenchConfig, type BenchClient } from './bench-client';
import {
  pairedCaptureCost,
  pairedCaptureCosts,
  checkTargets,
  checkUiTargets,
  errorsByScenario,
  failedUiTarget,
  cryptoLimitRatio,
  renderScenarioTable,
  renderTargets,
  summarizeRounds,
  type ModeResult,
  type RoundResult,
  type ScenarioSummary,
} from './bench-report';
import type { BenchOptions } from './bench-options';
import { compareBuilds, renderBuildComparison, type BuildComparison } from './build-comparison';
import { runClosedLoop, type PreparedRequest } from './closed-loop';
import { generateEs256Key, type Es256Key } from './compact-jws';
import { limitsOf, type CryptoLimit } from './crypto-limit';
import { measureCryptoLimitOnCore } from './crypto-limit-process';
import {
  startEventStreamReader,
  type EventStreamReading,
  type RunningEventStreamReader,
} from './event-stream-reader';
import { httpOnce } from './http-once';
import { readCpuSeconds, readMemory, readWrittenBytes } from './proc-usage';
import { roundOfWindows, windowRate, type WindowMeasure } from './round-windows';
import { scenarios, type Scenario, type ScenarioContext, type ScenarioName } from './scenarios';
import { hasTaskset, pinProcess, startServer, type ServerProcess } from './server-process';
import { median } from './stats';
import { fixed } from './text-table';
import { BrowserUnavailableError, runUiBench, type UiBenchResult } from './ui-bench';

const SERVER_CORE = 0;
const GENERATOR_CORE = 1;
/** The server's authorization_code_lifetime (FAPI 2.0 SP §5.3.2.1: at most 60 s). */
export const CODE_LIFETIME_SECONDS = 60;
/** What opens each connection of a window before its clock starts (closed-loop.ts). */
const OPENING_REQUEST: PreparedRequest = {
  method: 'GET',
  path: '/.well-known/openid-configuration',
  headers: { accept: 'application/json' },
};
/**
 * Long enough for V8 to settle (JIT, and the young generation grown to its working size): with 1 s,
 * the first timed round of a token scenario still cost up to a third more CPU per request than the
 * last, in both modes, more so with the capture on (it allocates more).
 */
const WARMUP_SECONDS = 3;
/** Idle RSS is read this long after the first answer: the server just started. */
const IDLE_SETTLE_MS = 1000;
/**
 * And later, on the last cold start: the server at rest. V8's memory reducer gives back what start-up
 * grew (RSS 65–66 MB until then, about 59 MB after) in up to three full collections: the first about
 * 8 s after start-up (--gc-memory-reducer-start-delay-ms), each next one once V8 finds the allocation
 * rate low, which it looks at again only 8 s later when it is not (kLongDelayMs, V8's
 * memory-reducer.cc). Measured here: settled 10 s after the first answer in most starts, but two of
 * twelve in a row read 61 MB at 12 s, one of them until 24 s. So the RSS is read at 12 s (shown) and at
 * 40 s (judged).
 */
const AT_REST_EARLY_MS = 12_000;
const AT_REST_MS = 40_000;
/** Exchanges in the lab UI's session before its appends and detail openings are timed. */
const UI_EXCHANGES = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (kb: number) => kb / 1024;
const log = (line: string) => process.stderr.write(`${line}\n`);

export interface BenchReport {
  readonly machine: Record<string, unknown>;
  readonly options: BenchOptions;
  readonly pinned: boolean;
  readonly firstStartMs: number;
  readonly coldStartMs: { readonly rounds: number[]; readonly median: number };
  readonly coldStartCpuMs: { readonly rounds: number[]; readonly median: number };
  /** One second after the first answer. */
  readonly idleRssMb: { readonly rounds: number[]; readonly median: number };
  /** At rest: after V8's memory reducer has run (AT_REST_MS), on the last cold start. */
  readonly idleRssAtRestMb: number;
  /** The same server earlier (AT_REST_EARLY_MS), when the memory reducer has most often run. */
  readonly idleRssAtRestEarlyMb: number;
  /** At rest, its anonymous and file-backed parts, where the kernel gives them (MemoryUsage). */
  readonly idleRssAtRestSplitMb?: { readonly anon: number; readonly file: number };
  readonly cryptoLimit: CryptoLimit;
  readonly modes: ModeResult[];
  readonly captureCost: Record<string, number>;
  /** This build against the one `--against` names, per capture mode and scenario. */
  readonly buildComparison?: BuildComparison[];
  readonly targets: ReturnType<typeof checkTargets>;
  /**
   * The lab UI's timings, or why they were not taken: skipped (no browser, --ui-samples 0) or failed
   * (the part broke; the figures under load stand).
   */
  readonly ui: UiBenchResult | { readonly skipped: string } | { readonly failed: string };
  readonly durationSeconds: number;
}

/** The scenarios served by the token endpoint, where the capture's cost is judged. */
const TOKEN_ENDPOINT_SCENARIOS: readonly ScenarioName[] = ['client_credentials', 'authorization_code'];
/**
 * Scenarios whose servers each run two windows a round (A B B A), taken together: the capture's cost
 * in one round of A B spread with an SD of 4–9 points around its median (2026-11-30), more than the
 * target's margin, and windows twice as long did not narrow it. Two windows in mirrored order give each
 * round twice the requests and cancel a machine that slows or speeds up steadily through the round.
 */
const TWO_WINDOWS_A_ROUND: readonly string[] = TOKEN_ENDPOINT_SCENARIOS;

/** `npm run bench`: everything, start to finish; stops every process it starts. */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const began = performance.now();
  const loadBefore = loadavg();
  const pinned = hasTaskset() && pinProcess(process.pid, GENERATOR_CORE);
  if (!pinned) log('taskset unavailable: server and generator are not pinned to cores');
  const workDir = mkdtempSync(join(tmpdir(), 'trusty-bench-'));
  try {
    const client = createBenchClient();
    const configFile = join(workDir, 'bench-config.json');
    writeBenchConfig(configFile, client);
    const dataDir = join(workDir, 'data');
    const core = pinned ? SERVER_CORE : undefined;

    // The first start generates the signing keys; users see it once, so it is reported apart.
    log('first start (generates keys)…');
    const nodeArgs = options.serverNodeOptions;
    const first = await startServer({ dataDir, configFile, capture: true, core, nodeArgs });
    await first.stop();

    log(`cold starts ×${options.coldStarts}…`);
    const coldStarts: number[] = [];
    const coldStartCpu: number[] = [];
    const idleRss: number[] = [];
    let idleRssAtRest = Number.NaN;
    let idleRssAtRestEarly = Number.NaN;
    let idleRssAtRestSplit: { anon: number; file: number } | undefined;
    for (let i = 0; i < options.coldStarts; i++) {
      const server = await startServer({ dataDir, configFile, capture: true, core, nodeArgs });
      coldStarts.push(server.coldStartMs);
      coldStartCpu.push(server.coldStartCpuMs);
      await sleep(IDLE_SETTLE_MS);
      idleRss.push(mb(readMemory(server.pid).rssKb));
      if (i === options.coldStarts - 1) {
        await sleep(AT_REST_EARLY_MS - IDLE_SETTLE_MS);
        idleRssAtRestEarly = mb(readMemory(server.pid).rssKb);
        await sleep(AT_REST_MS - AT_REST_EARLY_MS);
        const atRest = readMemory(server.pid);
        idleRssAtRest = mb(atRest.rssKb);
        if (atRest.anonKb !== undefined && atRest.fileKb !== undefined) {
          idleRssAtRestSplit = { anon: mb(atRest.anonKb), file: mb(atRest.fileKb) };
        }
      }
      await server.stop();
    }

    // Each mode gets its own copy of the data directory (same keys), so that both servers can run
    // side by side and their windows interleave.
    const modeInputs: ModeInput[] = options.capture.map((capture, i) => {
      const modeDir = i === 0 ? dataDir : join(workDir, `data-${i}`);
      if (modeDir !== dataDir) cpSync(dataDir, modeDir, { recursive: true });
      return { capture, dataDir: modeDir };
    });
    if (options.against) {
      modeInputs.push(...(await againstInputs(options, options.against, workDir, configFile, core)));
    }
    log(`load, ${modeInputs.map(modeLabel).join(' and ')}…`);
    const modes = await runModes({ options, client, configFile, core }, modeInputs);

    const { ours, on, off } = thisBuildsModes(modes);
    if (!on) throw new Error('no results');
    const costs: Record<string, number> = {};
    const tokenCostRounds: number[] = [];
    if (off) {
      for (const name of options.scenarios) {
        const a = on.scenarios[name]?.rounds;
        const b = off.scenarios[name]?.rounds;
        if (a === undefined || b === undefined) continue;
        costs[name] = pairedCaptureCost(a, b);
        if (TOKEN_ENDPOINT_SCENARIOS.includes(name)) tokenCostRounds.push(...pairedCaptureCosts(a, b));
      }
    }
    const cryptoLimit = medianLimit(modes.flatMap((m) => m.cryptoLimits));
    const p99s = Object.entries(on.scenarios).map(([name, s]) => [name, s.summary.p99Ms] as const);
    const worst = p99s.reduce((w, e) => (e[1] > w[1] ? e : w), ['–', Number.NEGATIVE_INFINITY] as const);

    const clientCredentialsRatio = (mode: ModeResult): number =>
      cryptoLimitRatio(
        mode.scenarios.client_credentials?.rounds ?? [],
        mode.cryptoLimits,
        (l) => l.clientCredentialsPerSecond,
      );
    const targets = checkTargets({
      clientCredentialsRatio: clientCredentialsRatio(on),
      ...(off ? { clientCredentialsRatioWithoutCapture: clientCredentialsRatio(off) } : {}),
      coldStartMs: median(coldStarts),
      idleRssMb: idleRssAtRest,
      idleRssJustStartedMb: median(idleRss),
      idleRssEarlier: { seconds: AT_REST_EARLY_MS / 1000, mb: idleRssAtRestEarly },
      loadWithCapture: on.capture,
      peakRssUnderLoadMb: on.peakRssMb,
      roundRssMb: on.roundRssMb,
      worstP99Ms: worst[1],
      worstP99Scenario: worst[0],
      worstP99Rounds: (on.scenarios[worst[0]]?.rounds ?? []).map((round) => round.p99Ms),
      captureCost: median(TOKEN_ENDPOINT_SCENARIOS.flatMap((name) => costs[name] ?? [])),
      captureCostRounds: tokenCostRounds,
      captureCostAll: median(Object.values(costs)),
      errorsUnderLoad: errorsByScenario(modes),
    });

    const ui = await uiPart(options, configFile);
    if ('failed' in ui) targets.push(failedUiTarget(ui.failed));
    else if (!('skipped' in ui)) targets.push(...checkUiTargets(ui));

    const report: BenchReport = {
      machine: {
        cpu: cpus()[0]?.model,
        cores: cpus().length,
        node: process.version,
        platform: process.platform,
        loadAverageBefore: loadBefore,
        loadAverageAfter: loadavg(),
        date: new Date().toISOString(),
      },
      options,
      pinned,
      firstStartMs: first.coldStartMs,
      coldStartMs: { rounds: coldStarts, median: median(coldStarts) },
      coldStartCpuMs: { rounds: coldStartCpu, median: median(coldStartCpu) },
      idleRssMb: { rounds: idleRss, median: median(idleRss) },
      idleRssAtRestMb: idleRssAtRest,
      idleRssAtRestEarlyMb: idleRssAtRestEarly,
      ...(idleRssAtRestSplit ? { idleRssAtRestSplitMb: idleRssAtRestSplit } : {}),
      cryptoLimit,
      modes,
      captureCost: costs,
      ...(options.against ? { buildComparison: compareModes(ours, modes) } : {}),
      targets,
      ui,
      durationSeconds: (performance.now() - began) / 1000,
    };

    printSummary(report);
    mkdirSync(dirname(resolve(options.out)), { recursive: true });
    writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
    log(`\nJSON report: ${options.out} (${report.durationSeconds.toFixed(0)} s in all)`);
    return report;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * The lab UI's timings; a machine without a browser skips them with a line, not a failure. A part
 * that breaks (the UI did not come up, a measure never came) is reported as failed, after minutes of
 * load whose figures are kept: the report is still written, and the run exits with 1.
 */
async function uiPart(
  options: BenchOptions,
  configFile: string,
): Promise<UiBenchResult | { skipped: string } | { failed: string }> {
  if (options.uiSamples === 0) return { skipped: '--ui-samples 0' };
  log(
    `lab UI in Chromium: ${UI_EXCHANGES} exchanges, then ${options.uiSamples} appends and detail openings…`,
  );
  try {
    return await runUiBench({
      samples: options.uiSamples,
      exchanges: UI_EXCHANGES,
      configFile,
      nodeArgs: options.serverNodeOptions,
    });
  } catch (e) {
    const message = (e as Error).message.split('\n')[0] ?? String(e);
    if (!(e instanceof BrowserUnavailableError)) {
      log(`  lab UI part failed: ${message}`);
      return { failed: message };
    }
    log(`  lab UI part skipped: ${message}`);
    return { skipped: message };
  }
}

interface RunInput {
  readonly options: BenchOptions;
  readonly client: BenchClient;
  readonly configFile: string;
  readonly core?: number;
}

interface ModeInput {
  readonly capture: boolean;
  readonly dataDir: string;
  /** Another build's out/cli (--against); this build when absent. */
  readonly buildDir?: string;
}

const modeLabel = (input: { capture: boolean; buildDir?: string }): string =>
  `capture ${input.capture ? 'on' : 'off'}${input.buildDir === undefined ? '' : ' (against)'}`;

/** With --viewer, a capture-on server's lab event stream is read while it serves (none otherwise). */
const viewed = (options: BenchOptions, input: ModeInput): boolean => options.viewer && input.capture;

/**
 * The other build's modes: its own data directory, whose keys its own first start generates (a
 * database written by this build may be of a schema it does not know).
 */
async function againstInputs(
  options: BenchOptions,
  buildDir: string,
  workDir: string,
  configFile: string,
  core: number | undefined,
): Promise<ModeInput[]> {
  const base = join(workDir, 'data-against');
  log(`first start of the build in ${buildDir}…`);
  const nodeArgs = options.serverNodeOptions;
  const first = await startServer({ dataDir: base, configFile, capture: true, core, buildDir, nodeArgs });
  await first.stop();
  return options.capture.map((capture, i) => {
    const modeDir = i === 0 ? base : `${base}-${i}`;
    if (modeDir !== base) cpSync(base, modeDir, { recursive: true });
    return { capture, dataDir: modeDir, buildDir };
  });
}

/**
 * This build's modes (not those of `--against`): the one with capture on, which the targets judge
 * (or the only one run), and the one with capture off when both ran.
 */
function thisBuildsModes(modes: readonly ModeResult[]) {
  const ours = modes.filter((m) => m.build === undefined);
  const on = ours.find((m) => m.capture) ?? ours[0];
  const off = ours.find((m) => !m.capture && m !== on);
  return { ours, on, off };
}

/** Each of this build's modes against the other build's mode of the same capture. */
function compareModes(ours: readonly ModeResult[], modes: readonly ModeResult[]): BuildComparison[] {
  return ours.flatMap((mode) => {
    const other = modes.find((m) => m.build !== undefined && m.capture === mode.capture);
    if (!other) return [];
    return Object.entries(mode.scenarios).flatMap(([name, { rounds }]) => {
      const against = other.scenarios[name]?.rounds;
      return against ? [compareBuilds(name, mode.capture, rounds, against)] : [];
    });
  });
}

interface RunningMode {
  readonly input: ModeInput;
  /** The server, its scenarios' context and its viewer: replaced each round with --restart. */
  server: ServerProcess;
  ctx: ScenarioContext;
  viewer?: RunningEventStreamReader;
  readonly results: Record<string, RoundResult[]>;
  readonly rateGuess: Map<string, number>;
  /** RSS after each window of the round under way. */
  readonly windowRss: number[];
  readonly roundRss: number[];
  readonly cryptoLimits: CryptoLimit[];
}

/**
 * One server per mode (capture on, off), all started first and pinned to the same core (an idle
 * server costs nothing); then a warm-up round and the timed rounds, in which each scenario's window
 * runs on every server in turn, the order alternating from round to round. On a shared, noisy
 * machine this compares the modes under the same conditions: a slow minute slows them all. With
 * --paired the servers' windows run at the same time instead, so that a slow moment slows them all.
 */
async function runModes(run: RunInput, inputs: readonly ModeInput[]): Promise<ModeResult[]> {
  const { options } = run;
  const nodeArgs = [
    ...options.serverNodeOptions,
    ...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : []),
  ];
  const chosen = scenarios.filter((s) => options.scenarios.includes(s.name));
  const running: RunningMode[] = [];
  // A server (with its viewer, when asked) and its scenarios' context; nothing left running on failure.
  const start = async (input: ModeInput, i: number) => {
    const labUrlFile = join(dirname(input.dataDir), `lab-url-${i}.txt`);
    const server = await startServer({
      ...input,
      configFile: run.configFile,
      core: run.core,
      nodeArgs,
      ...(viewed(options, input) ? { extraArgs: ['--lab-url-file', labUrlFile] } : {}),
    });
    let viewer: RunningEventStreamReader | undefined;
    try {
      if (viewed(options, input)) {
        viewer = await startEventStreamReader(
          labUrlFile,
          run.core === undefined ? undefined : GENERATOR_CORE,
        );
      }
      const ctx = await scenarioContext(server, run.client, input.dataDir, generateEs256Key());
      return { server, ctx, ...(viewer ? { viewer } : {}) };
    } catch (e) {
      viewer?.kill();
      await server.stop();
      throw e;
    }
  };
  try {
    for (const [i, input] of inputs.entries()) {
      running.push({
        input,
        ...(await start(input, i)),
        results: Object.fromEntries(chosen.map((s) => [s.name, []])),
        rateGuess: new Map(),
        windowRss: [],
        roundRss: [],
        cryptoLimits: [],
      });
    }
    // Each scenario's windows on every server, in `order` (or at once, --paired); recorded unless
    // warm-up. A scenario the capture's cost is judged on runs twice a round, the second time in the
    // reverse order (A B B A), and each server's round is its two windows taken together.
    const windows = async (order: readonly RunningMode[], scenario: Scenario, warmup: boolean) => {
      const seconds = warmup ? WARMUP_SECONDS : options.durationSeconds;
      const measured = new Map<RunningMode, WindowMeasure[]>();
      const window = async (mode: RunningMode, windowOptions: BenchOptions) => {
        const measure = await timedWindow(
          mode.server,
          mode.ctx,
          scenario,
          seconds,
          windowOptions,
          mode.rateGuess.get(scenario.name),
        );
        mode.rateGuess.set(scenario.name, windowRate(measure));
        const ofMode = measured.get(mode) ?? [];
        ofMode.push(measure);
        measured.set(mode, ofMode);
        if (measure.errors > 0)
          log(`  ${scenario.name}: ${measure.errors} errors ${JSON.stringify(measure.errorKinds)}`);
      };
      const passes =
        !warmup && TWO_WINDOWS_A_ROUND.includes(scenario.name) ? [order, [...order].reverse()] : [order];
      for (const pass of passes) {
        if (options.paired) {
          // Every server's window at once, the connections shared out among them.
          const shared = {
            ...options,
            concurrency: Math.max(1, Math.floor(options.concurrency / pass.length)),
          };
          await Promise.all(pass.map((mode) => window(mode, shared)));
        } else {
          for (const mode of pass) await window(mode, options);
        }
      }
      if (warmup) return;
      for (const [mode, measures] of measured) {
        mode.results[scenario.name]?.push(roundOfWindows(measures));
        mode.windowRss.push(...measures.map((m) => m.serverRssMb));
      }
    };
    for (let round = 0; round <= options.rounds; round++) {
      const warmup = round === 0;
      const order = round % 2 === 0 ? running : [...running].reverse();
      if (!warmup && options.restart) {
        // New processes, started in this round's order and warmed up as the first ones were.
        for (const mode of order) {
          mode.viewer?.kill();
          await mode.server.stop();
          // Should the new one not start, the run fails; stopping the old one again at the end is harmless.
          Object.assign(mode, await start(mode.input, running.indexOf(mode)));
        }
        for (const scenario of chosen) await windows(order, scenario, true);
      }
      // Measured while the servers are idle, on their core.
      if (!warmup) for (const mode of order) mode.cryptoLimits.push(measureCryptoLimitOnCore(run.core));
      for (const scenario of chosen) await windows(order, scenario, warmup);
      if (!warmup) {
        for (const mode of running) {
          mode.roundRss.push(median(mode.windowRss));
          mode.windowRss.length = 0;
        }
        const rss = running
          .map((m) => `${m.roundRss.at(-1)?.toFixed(1)} MB (${modeLabel(m.input)})`)
          .join(', ');
        log(`  round ${round}/${options.rounds} done, server RSS (median of its windows) ${rss}`);
      }
    }
    const results: ModeResult[] = [];
    for (const mode of running) {
      const viewer = await mode.viewer?.stop();
      if (viewer?.endedByServer) log(`  ${modeLabel(mode.input)}: the server dropped the event stream`);
      results.push(modeResult(mode, viewer));
    }
    return results;
  } finally {
    for (const mode of running) {
      mode.viewer?.kill(); // already stopped when the run went well
      await mode.server.stop();
    }
  }
}

function modeResult(mode: RunningMode, viewer: EventStreamReading | undefined): ModeResult {
  return {
    capture: mode.input.capture,
    ...(mode.input.buildDir === undefined ? {} : { build: mode.input.buildDir }),
    ...(viewer ? { viewer } : {}),
    cryptoLimits: mode.cryptoLimits,
    scenarios: Object.fromEntries(
      Object.entries(mode.results).map(([name, rounds]) => [
        name,
        { rounds, summary: summarizeRounds(rounds) },
      ]),
    ),
    roundRssMb: mode.roundRss,
    peakRssMb: mb(readMemory(mode.server.pid).peakRssKb),
  };
}

/** Prepares the window's requests (signing, minting), then runs it and reads the server's /proc. */
async function timedWindow(
  server: ServerProcess,
  ctx: ScenarioContext,
  scenario: Scenario,
  seconds: number,
  options: BenchOptions,
  lastRate: number | undefined,
): Promise<WindowMeasure> {
  // Requests that need no signing cost nothing to prepare; the others are sized from the last rate.
  const count = scenario.signed
    ? Math.min(options.maxRequests, Math.ceil((lastRate ?? 2000) * seconds * 2) + 500)
    : options.maxRequests;
  const requests = scenario.prepare(ctx, count);
  let cpuBefore = 0;
  let writtenBefore = 0;
  const run = await runClosedLoop({
    origin: server.issuer,
    concurrency: options.concurrency,
    durationMs: seconds * 1000,
    requests,
    openingRequest: OPENING_REQUEST,
    onWindowStart: () => {
      cpuBefore = readCpuSeconds(server.pid);
      writtenBefore = readWrittenBytes(server.pid);
    },
  });
  const cpuAfter = readCpuSeconds(server.pid);
  const writtenAfter = readWrittenBytes(server.pid);
  const memory = readMemory(server.pid);
  if (run.exhausted)
    log(`  ${scenario.name}: prepared requests ran out after ${run.elapsedMs.toFixed(0)} ms`);
  return {
    completed: run.completed,
    errors: run.errors,
    errorKinds: run.errorKinds,
    elapsedMs: run.elapsedMs,
    latenciesMs: run.latenciesMs,
    serverCpuSeconds: cpuAfter - cpuBefore,
    serverWrittenBytes: writtenAfter - writtenBefore,
    serverRssMb: mb(memory.rssKb),
    serverPeakRssMb: mb(memory.peakRssKb),
    exhausted: run.exhausted,
  };
}

/**
 * What the scenarios need of a started server: its issuer, and the tokens the resource scenarios
 * present, got before any window.
 */
export async function scenarioContext(
  server: ServerProcess,
  client: BenchClient,
  dataDir: string,
  dpopKey: Es256Key,
): Promise<ScenarioContext> {
  const base = {
    issuer: server.issuer,
    dataDir,
    client,
    dpopKey,
    userAccessToken: '',
    clientAccessToken: '',
    codeLifetimeSeconds: CODE_LIFETIME_SECONDS,
  };
  const tokenFrom = async (name: 'client_credentials' | 'authorization_code') => {
    const scenario = scenarios.find((s) => s.name === name);
    const prepared = scenario?.prepare(base, 1)[0];
    if (!prepared) throw new Error(`no ${name} request`);
    const answer = await httpOnce(server.issuer, prepared);
    const body = JSON.parse(answer.body) as { access_token?: string; error_description?: string };
    if (answer.status !== 200 || !body.access_token) {
      throw new Error(
        `set-up ${name} failed: ${answer.status} ${body.error_description ?? answer.body.slice(0, 200)}`,
      );
    }
    return body.access_token;
  };
  return {
    ...base,
    clientAccessToken: await tokenFrom('client_credentials'),
    userAccessToken: await tokenFrom('authorization_code'),
  };
}

function printSummary(report: BenchReport): void {
  const { on, off } = thisBuildsModes(report.modes);
  if (!on) return;
  const unjudgedBy = unjudged(report.options);
  const limit = report.cryptoLimit;
  const rows = Object.entries(on.scenarios).map(([name, s]) => ({
    scenario: name,
    on: s.summary,
    off: off?.scenarios[name]?.summary as ScenarioSummary | undefined,
    captureCost: report.captureCost[name],
    cryptoLimitRatio:
      name === 'client_credentials'
        ? cryptoLimitRatio(s.rounds, on.cryptoLimits, (l) => l.clientCredentialsPerSecond)
        : name === 'authorization_code'
          ? cryptoLimitRatio(s.rounds, on.cryptoLimits, (l) => l.authorizationCodePerSecond)
          : undefined,
  }));
  const c = limit.costs;
  const twice = report.options.scenarios.filter((name) => TWO_WINDOWS_A_ROUND.includes(name));
  const out = [
    '',
    `TRusTY Lab benchmark — ${report.machine.cores} × ${report.machine.cpu}, Node ${report.machine.node}, ` +
      `${report.options.concurrency} connections, ${report.options.rounds} rounds × ${report.options.durationSeconds} s ` +
      (twice.length > 0 ? `(${twice.join(' and ')}: two windows a round, A B B A), ` : '') +
      `server ${report.pinned ? 'pinned to one core' : 'NOT pinned'}; medians of rounds`,
    `server's node options: ${serverNodeOptionsInWords(report.options.serverNodeOptions)}`,
    `load average before/after: ${(report.machine.loadAverageBefore as number[]).map((v) => v.toFixed(2)).join(' ')} / ` +
      `${(report.machine.loadAverageAfter as number[]).map((v) => v.toFixed(2)).join(' ')}`,
    ...(report.options.viewer ? ['', viewerLine(report.modes)] : []),
    '',
    renderScenarioTable(rows),
    '',
    `crypto limit (server's core, node:crypto, per-operation medians of ${report.modes.flatMap((m) => m.cryptoLimits).length} measurements): verify assertion ${c.verifyAssertionUs.toFixed(1)} µs + import JWK & verify proof ` +
      `${c.verifyProofWithEmbeddedJwkUs.toFixed(1)} µs + sign token ${c.signTokenUs.toFixed(1)} µs + hash ${c.hashUs.toFixed(2)} µs` +
      ` → client_credentials ${limit.clientCredentialsPerSecond.toFixed(0)}/s, authorization_code (+ ID token) ${limit.authorizationCodePerSecond.toFixed(0)}/s`,
    `cold start (spawn → first discovery 200): median ${report.coldStartMs.median.toFixed(0)} ms ` +
      `[${report.coldStartMs.rounds.map((v) => v.toFixed(0)).join(', ')}], server CPU until then ` +
      `${report.coldStartCpuMs.median.toFixed(0)} ms; first start with key generation ${report.firstStartMs.toFixed(0)} ms`,
    `idle RSS: median ${report.idleRssMb.median.toFixed(1)} MB 1 s after start, ` +
      `${report.idleRssAtRestMb.toFixed(1)} MB at rest (${AT_REST_MS / 1000} s; ` +
      `${AT_REST_EARLY_MS / 1000} s: ${report.idleRssAtRestEarlyMb.toFixed(1)} MB` +
      (report.idleRssAtRestSplitMb
        ? `; at rest ${report.idleRssAtRestSplitMb.anon.toFixed(1)} MB anonymous, ` +
          `${report.idleRssAtRestSplitMb.file.toFixed(1)} MB mapped from files`
        : '') +
      '); ' +
      `RSS of each round (capture ${on.capture ? 'on' : 'off'}): ` +
      `${on.roundRssMb.map((v) => v.toFixed(1)).join(', ')} MB; peak ${on.peakRssMb.toFixed(1)} MB`,
    writtenLine(on, off),
    'skipped' in report.ui
      ? `lab UI: not measured (${report.ui.skipped})`
      : 'failed' in report.ui
        ? `lab UI: failed (${report.ui.failed})`
        : `lab UI (Chromium ${report.ui.browser}): ${report.ui.exchanges} exchanges, ${report.ui.rows} rows in the diagram, ` +
          `${report.ui.appendMs.samples.length} appends and detail openings timed (User Timing)`,
    ...(report.buildComparison
      ? [
          '',
          `this build against ${report.options.against ?? ''} (change: median over rounds of this ÷ against − 1):`,
          renderBuildComparison(report.buildComparison),
        ]
      : []),
    '',
    ...(unjudgedBy.length > 0 ? [`targets not judged (${unjudgedBy.join(', ')}):`] : []),
    renderTargets(report.targets),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

/** The server's node options, and whether they are those `npm run serve` gives it. */
function serverNodeOptionsInWords(options: readonly string[]): string {
  if (options.length === 0) return "none (Node's defaults, as the trusty-lab command starts it)";
  const asServe =
    options.length === SERVE_NODE_OPTIONS.length && SERVE_NODE_OPTIONS.every((o, i) => options[i] === o);
  return `${options.join(' ')}${asServe ? ' (as npm run serve starts it)' : ''}`;
}

/**
 * The options under which the targets say nothing of the product: a viewer's load added, servers
 * sharing a core (--paired), or new processes each round (--restart: no RSS across rounds).
 */
const unjudged = (options: BenchOptions): string[] => [
  ...(options.viewer ? ['--viewer'] : []),
  ...(options.paired ? ['--paired'] : []),
  ...(options.restart ? ['--restart'] : []),
];

/** Bytes written per request, with capture and without: what the recordings add to the server's writes. */
function writtenLine(on: ModeResult, off: ModeResult | undefined): string {
  const kb = (s: ScenarioSummary | undefined) =>
    s === undefined ? '–' : fixed(s.serverWrittenBytesPerRequest / 1024, 1);
  const each = Object.entries(on.scenarios).map(
    ([name, s]) => `${name} ${kb(s.summary)}${off ? ` / ${kb(off.scenarios[name]?.summary)}` : ''}`,
  );
  return `KB written per request (/proc/PID/io wchar), capture on${off ? ' / off' : ''}: ${each.join(', ')}`;
}

/** What the readers of the lab event stream read (--viewer), per capture-on server. */
function viewerLine(modes: readonly ModeResult[]): string {
  const read = modes
    .filter((m) => m.viewer !== undefined)
    .map((m) => {
      const { events, endedByServer } = m.viewer as EventStreamReading;
      return `${modeLabel({ capture: m.capture, ...(m.build === undefined ? {} : { buildDir: m.build }) })}: ${events} events${endedByServer ? ', then the server dropped the stream' : ''}`;
    });
  return (
    `--viewer: the lab UI's event stream was open on every server with capture on (${read.join('; ')}); ` +
    'their figures include serving it, so the targets below do not judge this run'
  );
}

/** Per-operation medians over every measurement of the run. */
function medianLimit(limits: readonly CryptoLimit[]): CryptoLimit {
  const costs = {
    verifyAssertionUs: median(limits.map((l) => l.costs.verifyAssertionUs)),
    verifyProofWithEmbeddedJwkUs: median(limits.map((l) => l.costs.verifyProofWithEmbeddedJwkUs)),
    signTokenUs: median(limits.map((l) => l.costs.signTokenUs)),
    hashUs: median(limits.map((l) => l.costs.hashUs)),
  };
  return { costs, ...limitsOf(costs) };
}
