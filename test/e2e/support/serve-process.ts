import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = 'out/cli/trusty-lab.js';
const READY_TIMEOUT_MS = 60_000;

export interface ServedLab {
  /** The lab UI URL, the per-launch secret in its fragment. */
  readonly labUrl: string;
  readonly issuer: string;
  stop(): Promise<void>;
}

function waitForFile(path: string, child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (existsSync(path)) {
        const text = readFileSync(path, 'utf8').trim();
        if (text) {
          clearInterval(timer);
          resolve(text);
          return;
        }
      }
      if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`trusty-lab serve exited with ${child.exitCode}:\n${stderr()}`));
      } else if (Date.now() - started > READY_TIMEOUT_MS) {
        clearInterval(timer);
        reject(
          new Error(`trusty-lab serve did not write its lab URL within ${READY_TIMEOUT_MS} ms:\n${stderr()}`),
        );
      }
    }, 100);
  });
}

/**
 * The built headless lab (`trusty-lab serve`, in-memory, free ports) with `args` added (a `--config`),
 * once it answers: its lab UI URL and issuer, and how to stop it.
 */
export async function serveLab(args: readonly string[] = []): Promise<ServedLab> {
  if (!existsSync(CLI) || !existsSync('out/renderer/index.html')) {
    throw new Error(`Build first: \`npm run build\` (missing ${CLI} or out/renderer/index.html).`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'trusty-lab-e2e-'));
  const urlFile = join(dir, 'lab-url');
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--port', '0', '--lab-port', '0', '--in-memory', '--lab-url-file', urlFile, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          resolve(undefined);
        }, 5000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve(undefined);
        });
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const labUrl = await waitForFile(urlFile, child, () => stderr);
    // The first stdout line is the issuer URL. serve writes it after the lab URL file: wait for it too.
    const started = Date.now();
    while (!stdout.includes('\n') && child.exitCode === null && Date.now() - started < READY_TIMEOUT_MS) {
      await new Promise((r) => setTimeout(r, 20));
    }
    if (!stdout.includes('\n')) throw new Error(`trusty-lab serve printed no issuer:\n${stderr}`);
    return { labUrl, issuer: stdout.split('\n')[0]?.trim() ?? '', stop };
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
