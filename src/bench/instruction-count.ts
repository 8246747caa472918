import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createBenchClient, writeBenchConfig, type BenchClient } from './bench-client';
import { againstBuild, captureModes, chosenScenarios, positive } from './bench-options';
import type { PreparedRequest } from './closed-loop';
import { generateEs256Key } from './compact-jws';
import { scenarioContext } from './run-bench';
import { scenarios, type ScenarioContext, type ScenarioName } from './scenarios';
import { startServer } from './server-process';
import { fixed, formatTable } from './text-table';

/**
 * `node out/cli/bench.js instructions`: the server's instructions per request, counted by valgrind's
 * callgrind. Unlike time, a count does not move with the machine's other jobs, so two builds, or
 * capture on and off, compare within a percent in one run where the timed rounds need many. The main
 * thread's count is the request's work; the other threads' (V8's compiler and garbage-collector
 * helpers, the WAL checkpointer) moved by 4% of the total between two runs of one build, when the
 * compiler was still at work in one of them. What it cannot see: the kernel's work (system calls, page
 * faults) and what an instruction costs (cache misses), so it prices code, not memory traffic or I/O.
 */

export interface InstructionOptions {
  readonly scenarios: readonly ScenarioName[];
  /** Requests counted per scenario. */
  readonly requests: number;
  /**
   * Requests sent per scenario before counting. V8 optimizes the hot code in the first thousands: a
   * count of client_credentials after 400 was 40% higher than after 4,000, most of the difference its
   * compiler threads and code not optimized yet.
   */
  readonly warmup: number;
  readonly capture: readonly boolean[];
  readonly concurrency: number;
  /** Another build's out/cli, counted the same way. */
  readonly against?: string;
  readonly out: string;
}

export const INSTRUCTIONS_USAGE = `usage: node out/cli/bench.js instructions [--scenarios a,b] [--requests N] [--warmup N]
                            [--capture both|on|off] [--concurrency N] [--against DIR] [--out FILE]

  Counts the server's instructions per request with valgrind's callgrind (Debian: apt install
  valgrind): each server runs under it, gets --warmup requests of a scenario, then --requests
  counted ones. 25–70 ms a request under valgrind here: a scenario takes about 4 minutes.

  --scenarios LIST    comma-separated subset of: ${scenarios.map((s) => s.name).join(', ')}
                      (default client_credentials)
  --requests N        requests counted per scenario (default 1000)
  --warmup N          requests sent per scenario before counting (default 4000)
  --capture MODE      both (default), on or off
  --concurrency N     connections (default 16)
  --against DIR       also count another build (its out/cli directory), and print the change
  --out FILE          the JSON report (default bench-results/instructions.json)
  --help, -h          this text`;

export function parseInstructionOptions(argv: readonly string[]): InstructionOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      scenarios: { type: 'string' },
      requests: { type: 'string' },
      warmup: { type: 'string' },
      capture: { type: 'string' },
      concurrency: { type: 'string' },
      against: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const against = againstBuild(values.against);
  return {
    scenarios: chosenScenarios(values.scenarios, ['client_credentials']),
    requests: Math.round(positive(values.requests, '--requests', 1000, 100_000)),
    warmup: Math.round(positive(values.warmup, '--warmup', 4000, 100_000)),
    capture: captureModes(values.capture),
    concurrency: Math.round(positive(values.concurrency, '--concurrency', 16, 256)),
    ...(against ? { against } : {}),
    out: values.out ?? 'bench-results/instructions.json',
  };
}

/**
 * The instructions a callgrind dump counted: its `summary:` line (callgrind writes `totals:` too, the
 * same figure). The first event is Ir (instructions read) unless other events were asked for.
 */
export function callgrindTotal(dump: string): number {
  const events = /^events:\s*(\S+)/m.exec(dump)?.[1];
  if (events !== undefined && events !== 'Ir') throw new Error(`the dump counts ${events}, not Ir first`);
  const line = /^(?:summary|totals):\s*(\d+)/m.exec(dump);
  if (!line?.[1]) throw new Error('no summary line in the callgrind dump');
  return Number(line[1]);
}

/**
 * Requests sent in one go: their DPoP proofs and assertions are made just before, so they are fresh.
 * Under callgrind a request takes 25–70 ms, so a batch of 50 is sent within the proofs' 10 s
 * (BENCH_DPOP_PROOF_MAX_AGE).
 */
const BATCH = 50;

/**
 * Sends `prepared` over `concurrency` keep-alive connections, kept open from one batch to the next;
 * returns how often each failure came. Not runClosedLoop: it opens its connections for each window
 * with a discovery request, which would be counted with the scenario's.
 */
async function sendAll(
  agent: Agent,
  origin: URL,
  prepared: readonly PreparedRequest[],
  concurrency: number,
): Promise<Record<string, number>> {
  const failures: Record<string, number> = {};
  let next = 0;
  const send = (r: PreparedRequest) =>
    new Promise<string>((resolveStatus) => {
      const req = httpRequest(
        {
          agent,
          host: origin.hostname,
          port: origin.port,
          method: r.method,
          path: r.path,
          headers: r.headers,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolveStatus(String(res.statusCode)));
        },
      );
      req.on('error', (e) => resolveStatus(`error: ${e.message}`));
      req.end(r.body);
    });
  const worker = async () => {
    while (next < prepared.length) {
      const status = await send(prepared[next++] as PreparedRequest);
      if (status !== '200') failures[status] = (failures[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failures;
}

/** One server to count: a build (undefined: this one) and a capture mode, with its own data. */
interface CountInput {
  readonly buildDir?: string;
  readonly capture: boolean;
  readonly dataDir: string;
}

export interface InstructionCount {
  readonly build: 'this' | 'against';
  readonly capture: boolean;
  readonly scenario: ScenarioName;
  /** Instructions per request of the main thread (JavaScript, the event loop), in the counted requests. */
  readonly mainThread: number;
  /** Instructions per request of all the server's threads. */
  readonly allThreads: number;
}

async function countServer(
  input: CountInput,
  options: InstructionOptions,
  client: BenchClient,
  configFile: string,
): Promise<Omit<InstructionCount, 'build'>[]> {
  const dumpDir = mkdtempSync(join(dirname(input.dataDir), 'callgrind-'));
  const dumpFile = join(dumpDir, 'callgrind.out');
  const server = await startServer({
    dataDir: input.dataDir,
    configFile,
    capture: input.capture,
    ...(input.buildDir ? { buildDir: input.buildDir } : {}),
    wrapper: [
      'valgrind',
      '--tool=callgrind',
      '--quiet',
      '--separate-threads=yes',
      `--callgrind-out-file=${dumpFile}`,
    ],
    timeoutMs: 300_000,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const control = (command: string) =>
    execFileSync('callgrind_control', [command, String(server.pid)], { stdio: 'ignore' });
  try {
    const ctx: ScenarioContext = await scenarioContext(server, client, input.dataDir, generateEs256Key());
    const origin = new URL(server.issuer);
    const send = async (name: ScenarioName, count: number) => {
      const scenario = scenarios.find((s) => s.name === name);
      if (!scenario) throw new Error(`no scenario ${name}`);
      for (let sent = 0; sent < count; sent += BATCH) {
        const failures = await sendAll(
          agent,
          origin,
          scenario.prepare(ctx, Math.min(BATCH, count - sent)),
          options.concurrency,
        );
        // A count with failed requests would price something else than the scenario.
        if (Object.keys(failures).length > 0) throw new Error(`${name}: ${JSON.stringify(failures)}`);
      }
    };
    const counts: Omit<InstructionCount, 'build'>[] = [];
    for (const [i, name] of options.scenarios.entries()) {
      await send(name, options.warmup);
      control('--zero');
      await send(name, options.requests);
      control('--dump');
      // callgrind names a dump's threads `<file>.<dump>-<thread>`, dumps and threads from 1.
      const part = `${basename(dumpFile)}.${i + 1}-`;
      const threads = readdirSync(dumpDir).filter((f) => f.startsWith(part));
      const totalOf = (file: string) => callgrindTotal(readFileSync(join(dumpDir, file), 'utf8'));
      const main = threads.find((f) => f === `${part}01`);
      if (!main) throw new Error(`no dump of the main thread (${part}01)`);
      counts.push({
        capture: input.capture,
        scenario: name,
        mainThread: totalOf(main) / options.requests,
        allThreads: threads.reduce((sum, f) => sum + totalOf(f), 0) / options.requests,
      });
    }
    return counts;
  } finally {
    agent.destroy();
    await server.stop();
    rmSync(dumpDir, { recursive: true, force: true });
  }
}

/** Runs `tasks` with at most `limit` at once. */
async function inPool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

export async function runInstructionCount(options: InstructionOptions): Promise<InstructionCount[]> {
  if (spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('valgrind is not installed (Debian: apt install valgrind)');
  }
  const workDir = mkdtempSync(join(tmpdir(), 'trusty-instructions-'));
  try {
    const client = createBenchClient();
    const configFile = join(workDir, 'bench-config.json');
    writeBenchConfig(configFile, client);
    const builds = [undefined, ...(options.against ? [options.against] : [])];
    const inputs: (CountInput & { build: 'this' | 'against' })[] = [];
    for (const [b, buildDir] of builds.entries()) {
      // The first start, not counted, creates the data directory and its keys; each mode gets a copy.
      const first = join(workDir, `data-${b}`);
      await (await startServer({ dataDir: first, configFile, capture: true, buildDir })).stop();
      for (const capture of options.capture) {
        const dataDir = join(workDir, `data-${b}-${capture ? 'on' : 'off'}`);
        cpSync(first, dataDir, { recursive: true });
        inputs.push({ build: b === 0 ? 'this' : 'against', capture, dataDir, buildDir });
      }
    }
    process.stderr.write(`counting ${inputs.length} servers under callgrind…\n`);
    // Counts do not depend on what else runs: as many servers at once as there are cores.
    const counted = await inPool(
      inputs.map(
        (input) => async () =>
          (await countServer(input, options, client, configFile)).map((c) => ({ ...c, build: input.build })),
      ),
      availableParallelism(),
    );
    const counts = counted.flat();
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, `${JSON.stringify({ options, counts }, null, 2)}\n`);
    process.stdout.write(`${renderInstructionCounts(counts)}\nJSON report: ${options.out}\n`);
    return counts;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

const change = (ratio: number) => `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(1)}%`;

/**
 * The table: instructions per request (thousands) per scenario, build and mode, for the main thread and
 * for all threads; what the capture adds (on ÷ off − 1) per build; and this build's change from the
 * other (this ÷ against − 1) per mode.
 */
export function renderInstructionCounts(counts: readonly InstructionCount[]): string {
  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? '–' : change(a / b - 1);
  const thousands = (n: number | undefined) => fixed(n === undefined ? undefined : n / 1000, 1);
  const rows = [...new Set(counts.map((c) => c.scenario))].flatMap((scenario) =>
    (['mainThread', 'allThreads'] as const).map((threads) => {
      const find = (build: 'this' | 'against', capture: boolean) =>
        counts.find((c) => c.scenario === scenario && c.build === build && c.capture === capture)?.[threads];
      return [
        scenario,
        threads === 'mainThread' ? 'main' : 'all',
        thousands(find('this', true)),
        thousands(find('this', false)),
        ratio(find('this', true), find('this', false)),
        thousands(find('against', true)),
        thousands(find('against', false)),
        ratio(find('against', true), find('against', false)),
        ratio(find('this', true), find('against', true)),
        ratio(find('this', false), find('against', false)),
      ];
    }),
  );
  return formatTable(
    [
      'scenario',
      'threads',
      'K instr/req',
      'no capture',
      'capture adds',
      'against',
      'against no capture',
      'against: capture adds',
      'change (capture)',
      'change (no capture)',
    ],
    rows,
  );
}
