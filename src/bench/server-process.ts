import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVE_NODE_OPTIONS } from '../cli/serve-node-options';
import { httpOnce } from './http-once';
import { readCpuSeconds } from './proc-usage';

/** Whether util-linux's taskset is there to pin processes to a core. */
export function hasTaskset(): boolean {
  return spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** Pins a running process (the harness itself) to one core; false when it cannot. */
export function pinProcess(pid: number, core: number): boolean {
  return spawnSync('taskset', ['-cp', String(core), String(pid)], { stdio: 'ignore' }).status === 0;
}

export interface ServerProcess {
  readonly pid: number;
  readonly issuer: string;
  /** Process spawn → first 200 from discovery, in ms. */
  readonly coldStartMs: number;
  /**
   * CPU seconds (user + system) the server used from spawn to that first answer: unlike the wall
   * time, it barely moves when other processes share the machine.
   */
  readonly coldStartCpuMs: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly dataDir: string;
  readonly configFile: string;
  readonly capture: boolean;
  /** The core to pin the server to (taskset -c); none when undefined. */
  readonly core?: number;
  readonly timeoutMs?: number;
  /**
   * The server's node options: by default those `npm run serve` gives it (SERVE_NODE_OPTIONS); the
   * bench's --node-defaults and --server-node-option change them, --profile adds --cpu-prof.
   */
  readonly nodeArgs?: readonly string[];
  /** Extra `serve` options (e.g. --lab-url-file). */
  readonly extraArgs?: readonly string[];
  /** Directory of the launcher to run (another build's, for --against); this build's by default. */
  readonly buildDir?: string;
  /**
   * A command the server's node runs under, with its options (valgrind for `bench.js instructions`);
   * it must run node in its own process, so that the pid stays the server's.
   */
  readonly wrapper?: readonly string[];
}

/** The command's launcher, beside the benchmark in a build's out/cli. */
export const LAUNCHER = 'trusty-lab.js';

const launcherIn = (buildDir: string | undefined) =>
  buildDir === undefined
    ? fileURLToPath(new URL(`./${LAUNCHER}`, import.meta.url))
    : join(buildDir, LAUNCHER);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `trusty-lab serve` on a free loopback port in its own process, as users run it (node with
 * the options `npm run serve` gives it, unless told otherwise), and waits for the first 200 from
 * discovery. The clock starts just before spawn. taskset execs node in place, so the pid is the
 * server's own (what /proc is read for).
 */
export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const args = [
    ...(options.nodeArgs ?? SERVE_NODE_OPTIONS),
    launcherIn(options.buildDir),
    'serve',
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--data',
    options.dataDir,
    '--config',
    options.configFile,
    ...(options.extraArgs ?? []),
  ];
  if (!options.capture) args.push('--no-capture');
  const node = [...(options.wrapper ?? []), process.execPath];
  const [command, argv] =
    options.core === undefined
      ? [node[0] as string, [...node.slice(1), ...args]]
      : ['taskset', ['-c', String(options.core), ...node, ...args]];
  const started = performance.now();
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderrTail: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail.push(chunk);
    if (stderrTail.length > 20) stderrTail.shift();
  });
  const deadline = started + (options.timeoutMs ?? 30_000);
  try {
    const issuer = await issuerLine(child, options.timeoutMs ?? 30_000);
    assertLoopback(issuer);
    for (;;) {
      const answer = await httpOnce(issuer, {
        method: 'GET',
        path: '/.well-known/openid-configuration',
        headers: {},
      }).catch(() => undefined);
      if (answer?.status === 200) break;
      if (performance.now() > deadline) throw new Error('no 200 from discovery in time');
      await sleep(2);
    }
    const coldStartMs = performance.now() - started;
    const pid = child.pid ?? -1;
    const coldStartCpuMs = readCpuSeconds(pid) * 1000;
    return { pid, issuer, coldStartMs, coldStartCpuMs, stop: () => stopChild(child) };
  } catch (e) {
    await stopChild(child);
    throw new Error(`the server did not start: ${(e as Error).message}\n${stderrTail.join('').slice(-2000)}`);
  }
}

/** The benchmark talks to loopback only. */
export function assertLoopback(origin: string): void {
  const { hostname } = new URL(origin);
  if (hostname !== '127.0.0.1' && hostname !== '[::1]' && hostname !== 'localhost') {
    throw new Error(`refusing to benchmark a non-loopback server: ${origin}`);
  }
}

/**
 * The issuer URL, the first line `serve` prints. A V8 flag given with --server-node-option may print
 * before it (--trace-gc during start-up): lines that are not a URL are skipped. What the server writes
 * after the issuer is read and dropped, not kept for the whole run.
 */
export function issuerLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('no issuer on stdout in time')), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}`));
    });
    const stdout = child.stdout?.setEncoding('utf8');
    const onData = (chunk: string): void => {
      buffered += chunk;
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const line = buffered.slice(0, end).trim();
        buffered = buffered.slice(end + 1);
        if (!/^https?:\/\//.test(line)) continue;
        clearTimeout(timer);
        stdout?.off('data', onData).resume();
        buffered = '';
        resolve(line);
        return;
      }
    };
    stdout?.on('data', onData);
  });
}

/** SIGTERM (a clean stop), then SIGKILL if it has not exited within 5 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
