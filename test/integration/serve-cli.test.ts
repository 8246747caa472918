import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeCacheFile } from '../../src/cli/code-cache-file';
import { SERVE_NODE_OPTIONS } from '../../src/cli/serve-node-options';
import { createDpopProof, generateDpopKeyPair, loginHeadless } from '../../src/client';
import { seededDataDir } from '../support/lab-server';

const CLI = 'out/cli/trusty-lab.js';

interface Started {
  child: ChildProcess;
  issuer: string;
  stderr: () => string;
}

/** Starts `trusty-lab serve` (node given `nodeOptions`) and resolves with the first stdout line (the issuer URL). */
function serve(args: string[], nodeOptions: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, [...nodeOptions, CLI, 'serve', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (issuer) => resolve({ child, issuer, stderr: () => stderr }));
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
}

/** Runs the CLI to completion, or kills it after `timeout` ms (code null then). */
function run(
  args: string[],
  cli = CLI,
  timeout = 50_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cli, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout,
    killSignal: 'SIGKILL',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

const exitOf = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-cli.mjs']);
}, 60_000);

describe('trusty-lab serve', { timeout: 60_000 }, () => {
  it('prints the issuer as the first and only stdout line, serves, and stops cleanly on SIGTERM', async () => {
    const { child, issuer } = await serve(['--port', '0', '--data', seededDataDir()]);
    expect(issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const discovery = await fetch(`${issuer}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    expect(((await discovery.json()) as { issuer: string }).issuer).toBe(issuer);
    const stopped = exitOf(child);
    child.kill('SIGTERM');
    expect(await stopped).toEqual({ code: 0, signal: null });
  });

  it('stops on SIGINT while the lab UI holds its live event stream open: the stream ends, exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-cli-sigint-'));
    const urlFile = join(dir, 'lab-url');
    const { child } = await serve([
      '--port',
      '0',
      '--lab-port',
      '0',
      '--lab-url-file',
      urlFile,
      '--data',
      dir,
    ]);
    try {
      const labUrl = new URL(readFileSync(urlFile, 'utf8').trim());
      const secret = new URLSearchParams(labUrl.hash.slice(1)).get('secret') ?? '';
      const events = await fetch(`${labUrl.origin}/lab/api/events`, {
        headers: { authorization: `Bearer ${secret}` },
      });
      expect(events.status).toBe(200);
      const reader = (events.body as ReadableStream<Uint8Array>).getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toContain(': trusty-lab events');
      const stopped = exitOf(child);
      const started = Date.now();
      child.kill('SIGINT');
      // The stream is ended by the server (not cut off after the close grace of 3 s).
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read());
      expect(await stopped).toEqual({ code: 0, signal: null });
      expect(Date.now() - started).toBeLessThan(2_500);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad configuration before listening: exit 2, naming the file and the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-cli-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ clients: [{ client_id: 'x', redirect_uris: ['nope'] }] }));
    const result = await run(['serve', '--config', file, '--in-memory']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(file);
    expect(result.stderr).toMatch(/clients\[0\]\.redirect_uris\[0\]/);
  });

  it('says in one line, without a stack trace, when the port is taken or the data directory unwritable', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as { port: number }).port;
    const taken = await run(['serve', '--port', String(port), '--data', seededDataDir()]);
    blocker.close();
    expect(taken.code).toBe(1);
    expect(taken.stderr.trim()).toBe(`trusty-lab serve: port ${port} on 127.0.0.1 is already in use`);

    // A path under a regular file cannot be a directory, whoever runs the test (root included).
    const dir = mkdtempSync(join(tmpdir(), 'serve-cli-ro-'));
    writeFileSync(join(dir, 'file'), '');
    const unwritable = await run(['serve', '--data', join(dir, 'file', 'sub'), '--port', '0']);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr.trim().split('\n')).toHaveLength(1);
    expect(unwritable.stderr).not.toMatch(/\n\s+at /);

    // Linux answers ENOENT for any new name under /proc, whose parent exists: Node's recursive mkdir
    // tried again for ever there, and the command neither started nor stopped.
    if (existsSync('/proc/self')) {
      const proc = await run(['serve', '--data', '/proc/trusty-lab-test/data', '--port', '0'], CLI, 10_000);
      expect(proc.code).toBe(1);
      expect(proc.stderr.trim()).toBe(
        'trusty-lab serve: the data directory /proc/trusty-lab-test/data is not writable (ENOENT)',
      );
    }
  });

  it('refuses a second provider on a data directory in use, naming the first (exit 1)', async () => {
    const dataDir = seededDataDir();
    const first = await serve(['--port', '0', '--data', dataDir]);
    const second = await run(['serve', '--port', '0', '--data', dataDir]);
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr.trim()).toBe(
      `trusty-lab serve: the data directory ${dataDir} is in use by another trusty-lab process (pid ${first.child.pid})`,
    );
    const stopped = exitOf(first.child);
    first.child.kill('SIGTERM');
    expect(await stopped).toEqual({ code: 0, signal: null });
    // Stopped cleanly, it let go: the directory serves again.
    const again = await serve(['--port', '0', '--data', dataDir]);
    const stoppedAgain = exitOf(again.child);
    again.child.kill('SIGTERM');
    expect(await stoppedAgain).toEqual({ code: 0, signal: null });
  });

  it('announces the --issuer given (an origin exactly), and refuses one that is not, with exit 2', async () => {
    const { child, issuer } = await serve(['--port', '0', '--in-memory', '--issuer', 'https://lab.example']);
    expect(issuer).toBe('https://lab.example');
    const stopped = exitOf(child);
    child.kill('SIGTERM');
    expect(await stopped).toEqual({ code: 0, signal: null });
    const withPath = await run([
      'serve',
      '--port',
      '0',
      '--in-memory',
      '--issuer',
      'https://lab.example/oidc',
    ]);
    expect(withPath.code).toBe(2);
    expect(withPath.stdout).toBe('');
    expect(withPath.stderr).toMatch(/^trusty-lab serve: --issuer must be an origin/);
  });

  it('rejects unknown options, and empty values (an empty --host would listen everywhere), with exit 2', async () => {
    const result = await run(['serve', '--bogus']);
    expect(result.code).toBe(2);
    for (const option of ['--host', '--config', '--data', '--lab-url-file', '--issuer']) {
      const empty = await run(['serve', '--port', '0', '--in-memory', option, '']);
      expect(empty.code, option).toBe(2);
      expect(empty.stdout).toBe('');
      expect(empty.stderr.split('\n')[0]).toBe(`trusty-lab serve: ${option} needs a value`);
    }
    // The provider took the port, then the lab UI found it in use: said as what it is.
    const samePort = await run(['serve', '--in-memory', '--port', '47123', '--lab-port', '47123']);
    expect(samePort.code).toBe(2);
    expect(samePort.stderr).toBe('trusty-lab serve: --port and --lab-port must differ\n');
  });

  it('when the lab URL file cannot be written: exit 1, no issuer line, no file with the secret left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-cli-url-'));
    const result = await run([
      'serve',
      '--port',
      '0',
      '--lab-port',
      '0',
      '--in-memory',
      '--lab-url-file',
      dir,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`cannot write ${dir}`);
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith(`${basename(dir)}.`))).toEqual([]);
  });

  describe('durability (kill -9)', () => {
    let dataDir: string;
    let started: Started | undefined;
    afterAll(() => started?.child.kill('SIGKILL'));

    it('keeps every acknowledged token state across a crash', async () => {
      dataDir = seededDataDir();
      started = await serve(['--port', '0', '--data', dataDir]);
      const { issuer } = started;
      const port = new URL(issuer).port;
      const redirectUri = 'http://127.0.0.1:9/callback';
      const tokens = await standardTokens(issuer, redirectUri);
      const revokedToo = await standardTokens(issuer, redirectUri);
      const revoke = await fetch(`${issuer}/revoke`, {
        method: 'POST',
        body: clientForm({ token: revokedToo.refresh_token }),
      });
      expect(revoke.status).toBe(200);

      let killed = exitOf(started.child);
      started.child.kill('SIGKILL');
      await killed;

      started = await serve(['--port', port, '--data', dataDir]);
      expect(started.issuer).toBe(issuer);
      expect(await introspect(issuer, tokens.refresh_token)).toMatchObject({ active: true });
      expect(await introspect(issuer, tokens.access_token)).toMatchObject({ active: true });
      expect(await introspect(issuer, revokedToo.refresh_token)).toEqual({ active: false });
      killed = exitOf(started.child);
      started.child.kill('SIGKILL');
      await killed;
      started = undefined;
    });

    it('still refuses, after a crash, a DPoP proof accepted before it (RFC 9449 §11.1)', async () => {
      dataDir = seededDataDir();
      started = await serve(['--port', '0', '--data', dataDir]);
      const { issuer } = started;
      const port = new URL(issuer).port;
      const tokens = await standardTokens(issuer, 'http://127.0.0.1:9/callback');
      const keyPair = await generateDpopKeyPair('ES256');
      const newProof = () => createDpopProof({ keyPair, htm: 'POST', htu: `${issuer}/token` });
      const refresh = (proof: string) =>
        fetch(`${issuer}/token`, {
          method: 'POST',
          headers: { DPoP: proof },
          body: clientForm({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }),
        });
      const proof = await newProof();
      const accepted = await refresh(proof);
      expect(accepted.status).toBe(200);
      expect(await accepted.json()).toMatchObject({ token_type: 'DPoP' });

      let killed = exitOf(started.child);
      started.child.kill('SIGKILL');
      await killed;

      started = await serve(['--port', port, '--data', dataDir]);
      const replayed = await refresh(proof);
      expect(replayed.status).toBe(400);
      expect(await replayed.json()).toMatchObject({
        error: 'invalid_dpop_proof',
        error_description: expect.stringMatching(/already been used/) as unknown,
      });
      // Refused as a replay only: a fresh proof by the same key is accepted.
      expect((await refresh(await newProof())).status).toBe(200);
      killed = exitOf(started.child);
      started.child.kill('SIGKILL');
      await killed;
      started = undefined;
    });
  });

  it('is built with a V8 code cache for node started as npm run serve starts it, and one for its defaults', () => {
    // Each offered to a node started its way: V8 rejects a cache made with other flags.
    const verdict = (nodeOptions: readonly string[], cache: string) =>
      execFileSync(process.execPath, [
        ...nodeOptions,
        '-e',
        `const { readFileSync } = require('node:fs'); const Module = require('node:module');
         const { Script } = require('node:vm');
         const bundle = 'out/cli/trusty-lab.cjs';
         const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), {
           filename: bundle, cachedData: readFileSync(${JSON.stringify(cache)}) });
         process.stdout.write(script.cachedDataRejected ? 'rejected' : 'accepted');`,
      ]).toString();
    const bundle = 'out/cli/trusty-lab.cjs';
    expect(verdict(SERVE_NODE_OPTIONS, codeCacheFile(bundle, SERVE_NODE_OPTIONS, undefined))).toBe(
      'accepted',
    );
    expect(verdict([], codeCacheFile(bundle, [], undefined))).toBe('accepted');
    // Offered the other's, V8 refuses it (which is why there are two).
    expect(verdict([], codeCacheFile(bundle, SERVE_NODE_OPTIONS, undefined))).toBe('rejected');
  });

  it('loads mime-types, qs and iconv-lite only when a request needs them, not to start or to serve the API', async () => {
    // The bundle holds stand-ins for these packages (scripts/build-cli.mjs), not the packages.
    const bundle = readFileSync('out/cli/trusty-lab.cjs', 'latin1');
    // What each package alone holds: mime-db's types, qs's formats, iconv-lite's tables.
    for (const mark of ['application/vnd.ms-excel', 'RFC1738', 'shiftjis']) {
      expect(bundle.includes(mark), mark).toBe(false);
    }
    const dir = mkdtempSync(join(tmpdir(), 'serve-cli-loaded-'));
    const probe = join(dir, 'probe.cjs');
    const loadedFile = join(dir, 'loaded');
    const urlFile = join(dir, 'lab-url');
    // Writes the modules loaded so far when asked (SIGUSR2).
    writeFileSync(
      probe,
      `process.on('SIGUSR2', () => require('node:fs').writeFileSync(${JSON.stringify(loadedFile)}, Object.keys(require.cache).join('\\n')));`,
    );
    const { child, issuer } = await serve(
      ['--port', '0', '--lab-port', '0', '--lab-url-file', urlFile, '--data', seededDataDir()],
      ['--require', probe],
    );
    const loadedPackages = async () => {
      rmSync(loadedFile, { force: true });
      child.kill('SIGUSR2');
      for (let i = 0; i < 200 && !existsSync(loadedFile); i++) await new Promise((r) => setTimeout(r, 10));
      const paths = readFileSync(loadedFile, 'utf8').split('\n');
      return ['mime-types', 'qs', 'iconv-lite'].filter((name) =>
        paths.some((path) => path.includes(`/node_modules/${name}/`)),
      );
    };
    try {
      expect((await fetch(`${issuer}/.well-known/openid-configuration`)).headers.get('content-type')).toBe(
        'application/json; charset=utf-8',
      );
      expect((await fetch(`${issuer}/jwks`)).headers.get('content-type')).toBe(
        'application/jwk-set+json; charset=utf-8',
      );
      expect((await fetch(`${issuer}/token`, { method: 'POST', body: clientForm({}) })).status).toBe(400);
      expect(await loadedPackages()).toEqual([]);

      // An HTML page of the provider (Express looks its media type up) and a JSON body of the lab API
      // (decoded).
      const page = await fetch(`${issuer}/authorize`);
      expect(page.status).toBe(400);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const labUrl = new URL(readFileSync(urlFile, 'utf8').trim());
      const secret = new URLSearchParams(labUrl.hash.slice(1)).get('secret') ?? '';
      const created = await fetch(`${labUrl.origin}/lab/api/recordings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'caf\u00e9' }),
      });
      expect(created.status).toBe(201);
      expect(((await created.json()) as { name: string }).name).toBe('caf\u00e9');
      expect(await loadedPackages()).toEqual(['mime-types', 'iconv-lite']);
    } finally {
      const stopped = exitOf(child);
      child.kill('SIGTERM');
      expect(await stopped).toEqual({ code: 0, signal: null });
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses (413) a recording to import past a quarter of a small V8 heap, which could not hold it', async () => {
    const MB = 1024 * 1024;
    const smallHeap = '--max-old-space-size=32';
    const heapLimit = Number(
      execFileSync(
        process.execPath,
        [smallHeap, '-p', "require('node:v8').getHeapStatistics().heap_size_limit"],
        {
          encoding: 'utf8',
        },
      ),
    );
    const mostMb = Math.floor(heapLimit / 4 / MB);
    const dir = mkdtempSync(join(tmpdir(), 'serve-cli-heap-'));
    const urlFile = join(dir, 'lab-url');
    const { child } = await serve(
      ['--port', '0', '--lab-port', '0', '--lab-url-file', urlFile, '--in-memory'],
      [smallHeap],
    );
    try {
      const labUrl = new URL(readFileSync(urlFile, 'utf8').trim());
      const secret = new URLSearchParams(labUrl.hash.slice(1)).get('secret') ?? '';
      const importing = (text: string) =>
        fetch(`${labUrl.origin}/lab/api/recordings/import`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            schemaVersion: 1,
            id: 'r1',
            name: 'long',
            createdAt: 0,
            events: [{ type: 'note', id: 'n1', at: 0, text }],
          }),
        });
      const refused = await importing('x'.repeat(mostMb * MB));
      expect(refused.status).toBe(413);
      expect(await refused.json()).toEqual({
        error: 'recording_too_large',
        error_description: `this lab imports recordings of at most ${mostMb} MB (its memory allows no more)`,
      });
      expect((await importing('x'.repeat(MB))).status).toBe(201);
    } finally {
      const stopped = exitOf(child);
      child.kill('SIGTERM');
      expect(await stopped).toEqual({ code: 0, signal: null });
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs as usual without its code cache, or with a damaged one', async () => {
    // A copy beside out/cli, so that node_modules is found as from the real one.
    const dir = mkdtempSync(join('out', 'cli-cache-test-'));
    try {
      for (const file of ['trusty-lab.js', 'trusty-lab.cjs'])
        copyFileSync(join('out/cli', file), join(dir, file));
      const help = () => run(['--help'], join(dir, 'trusty-lab.js'));
      expect(await help()).toMatchObject({ code: 0, stdout: expect.stringContaining('usage: trusty-lab') });
      writeFileSync(codeCacheFile(join(dir, 'trusty-lab.cjs'), [], undefined), randomBytes(4096));
      expect(await help()).toMatchObject({ code: 0, stdout: expect.stringContaining('usage: trusty-lab') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const clientForm = (fields: Record<string, string>) =>
  new URLSearchParams({
    client_id: 'demo-standard',
    client_secret: 'demo-standard-secret-not-for-production',
    ...fields,
  });

async function introspect(issuer: string, token: string): Promise<unknown> {
  const response = await fetch(`${issuer}/introspect`, { method: 'POST', body: clientForm({ token }) });
  return response.json();
}

async function standardTokens(
  issuer: string,
  redirectUri: string,
): Promise<{ access_token: string; refresh_token: string }> {
  const verifier = 'v'.repeat(43);
  const challenge = Buffer.from(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)),
  ).toString('base64url');
  const url = new URL(`${issuer}/authorize`);
  url.search = new URLSearchParams({
    client_id: 'demo-standard',
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid offline_access',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  const callback = await loginHeadless(url.href, {
    username: 'alice',
    password: 'wonderland',
    consent: 'allow',
    redirectUri,
  });
  const code = new URL(callback).searchParams.get('code') as string;
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    body: clientForm({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { access_token: string; refresh_token: string };
}

describe('trusty-lab output', { timeout: 60_000 }, () => {
  it('to a reader that has gone (| head -1): the rest is dropped, no EPIPE stack trace, exit 0', async () => {
    const child = spawn(process.execPath, [CLI, 'scenarios', 'list'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = exitOf(child);
    // Closed before the command writes anything (it takes longer to start): its first write fails with
    // EPIPE, as a write after `head` has read its line and exited does.
    child.stdout.destroy();
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(stderr).toBe('');
  });
});
