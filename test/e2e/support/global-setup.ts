import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_ENV } from './lab-env';

const CLI = 'out/cli/trusty-lab.js';
const READY_TIMEOUT_MS = 60_000;

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
 * Starts the headless lab (`trusty-lab serve`, in-memory) on free ports, and hands the lab UI URL
 * (with its secret) and the issuer to the tests through the environment. Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(CLI) || !existsSync('out/renderer/index.html')) {
    throw new Error(`Build first: \`npm run build\` (missing ${CLI} or out/renderer/index.html).`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'trusty-lab-e2e-'));
  const urlFile = join(dir, 'lab-url');
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--port', '0', '--lab-port', '0', '--in-memory', '--lab-url-file', urlFile],
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
  const labUrl = await waitForFile(urlFile, child, () => stderr);
  // The first stdout line is the issuer URL. serve writes it after the lab URL file: wait for it too.
  const started = Date.now();
  while (!stdout.includes('\n') && child.exitCode === null && Date.now() - started < READY_TIMEOUT_MS) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const issuer = stdout.split('\n')[0]?.trim() ?? '';
  if (!stdout.includes('\n')) {
    child.kill('SIGKILL');
    throw new Error(`trusty-lab serve printed no issuer:\n${stderr}`);
  }
  process.env[LAB_ENV.labUrl] = labUrl;
  process.env[LAB_ENV.issuer] = issuer;
  console.log(`lab UI: ${new URL(labUrl).origin} (secret in fragment), issuer: ${issuer}`);

  return async () => {
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
}
