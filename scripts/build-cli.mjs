// Bundles the `trusty-lab` command and the benchmark for plain Node. The server's pure-JavaScript
// dependencies are bundled in: resolving and loading a few hundred separate ES and CommonJS modules
// was a third of the CPU of a cold start (measured with npm run bench: 400 -> 265 ms of server CPU
// from spawn to the first discovery answer). better-sqlite3 stays external: it loads a native
// binary next to its own files.
//
// The command is a CommonJS bundle (out/cli/trusty-lab.cjs) behind a small launcher
// (out/cli/trusty-lab.js, src/cli/code-cache-launcher.ts) that compiles it with V8's code cache. The
// caches are made here, by running the provider once for each way node is started (with the serve
// options of src/cli/serve-node-options.json, and with node's defaults): start, discovery, JWKS, a
// refused token request.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chmod, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';

const shebang = '#!/usr/bin/env node';
const esmBanner = [
  shebang,
  "import { createRequire as __trustyLabCreateRequire } from 'node:module';",
  'const require = __trustyLabCreateRequire(import.meta.url);',
].join('\n');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // No comments or indentation in the output (the source maps keep them): V8 holds a script's source
  // for as long as the script lives, and the command's bundle is loaded whole. Licence comments go
  // to a .LEGAL.txt file beside each bundle.
  minifyWhitespace: true,
  legalComments: 'linked',
};

/**
 * Packages the command's bundle leaves in node_modules: each is replaced by a stand-in
 * (src/cli/on-first-use/) that requires it on its first call. Express and its parsers require them as
 * they load, for work the provider does rarely (a media type looked up, a JSON body decoded) or never
 * (the `extended` query and form parsers); bundled, every start-up evaluated them, and V8 keeps a
 * bundle's source for as long as the process runs: 1.48 MB of source before, 0.73 MB after. (The
 * Electron main process is built with its dependencies left in node_modules, loaded as they are.)
 */
const STAND_INS = { 'mime-types': 'mime-types.ts', qs: 'qs.ts', 'iconv-lite': 'iconv-lite.ts' };
const standInsDir = join(process.cwd(), 'src/cli/on-first-use');
const onFirstUse = {
  name: 'on-first-use',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${Object.keys(STAND_INS).join('|')})$`) }, (args) => ({
      path: join(standInsDir, STAND_INS[args.path]),
    }));
  },
};

await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'out/cli/trusty-lab.cjs',
  format: 'cjs',
  external: ['better-sqlite3', 'electron'],
  plugins: [onFirstUse],
  // CommonJS has no import.meta: the bundle's own file URL stands in for it.
  define: { 'import.meta.url': '__trustyLabFileUrl' },
  banner: { js: "var __trustyLabFileUrl = require('node:url').pathToFileURL(__filename).href;" },
});
await build({
  ...common,
  entryPoints: ['src/cli/code-cache-launcher.ts'],
  outfile: 'out/cli/trusty-lab.js',
  format: 'esm',
  banner: { js: shebang },
  sourcemap: false,
});
await build({
  ...common,
  entryPoints: ['src/bench/main.ts'],
  outfile: 'out/cli/bench.js',
  format: 'esm',
  // The benchmark drives the lab UI with Playwright, a development dependency it loads at run time.
  external: ['better-sqlite3', 'electron', '@playwright/test'],
  banner: { js: esmBanner },
});
assertAscii('out/cli/trusty-lab.cjs');
await chmod('out/cli/trusty-lab.js', 0o755);
await chmod('out/cli/bench.js', 0o755);
const serveNodeOptions = JSON.parse(readFileSync('src/cli/serve-node-options.json', 'utf8'));
await writeCodeCache(serveNodeOptions, 'serve');
await writeCodeCache([], 'node-defaults');

/**
 * V8 keeps a source that is all ASCII at one byte per character, and any other at two: a single
 * non-ASCII character doubles the memory the loaded bundle takes for as long as the process runs.
 * esbuild escapes such characters in strings, but cannot in a tagged template's text (its raw form
 * would change): there, interpolate a string that holds the escape.
 */
function assertAscii(file) {
  const bytes = readFileSync(file);
  const at = bytes.findIndex((byte) => byte > 0x7f);
  if (at < 0) return;
  const line = bytes.subarray(0, at).toString('latin1').split('\n').length;
  const around = bytes.subarray(Math.max(0, at - 40), at + 20).toString('utf8');
  throw new Error(`${file}:${line}: a non-ASCII character in the bundle: ${JSON.stringify(around)}`);
}

/**
 * One short run of the provider, on a throwaway database, with `nodeOptions`, that leaves the code
 * cache for node started with them behind (`name`: the launcher's name for them, code-cache-file.ts).
 */
async function writeCodeCache(nodeOptions, name) {
  const cacheFile = `out/cli/trusty-lab.cjs.${name}.v8cache`;
  await rm(cacheFile, { force: true });
  const args = [...nodeOptions, 'out/cli/trusty-lab.js', 'serve', '--in-memory', '--port', '0'];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, TRUSTY_LAB_WRITE_CODE_CACHE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const issuer = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no issuer within 20 s')), 20_000);
      child.stdout.once('data', (chunk) => {
        clearTimeout(timer);
        resolve(String(chunk).split('\n')[0].trim());
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    await send(issuer, 'GET', '/.well-known/openid-configuration');
    await send(issuer, 'GET', '/jwks');
    await send(issuer, 'POST', '/token', 'grant_type=client_credentials');
    child.kill('SIGTERM');
    await exited;
    await stat(cacheFile);
  } catch (e) {
    child.kill('SIGKILL');
    // Not fatal: without the cache the command compiles its bundle at each start, as any script does
    // (the case, for one, where node_modules holds no better-sqlite3 built for this Node).
    console.warn(`build-cli: no code cache written for ${name} (${e.message})\n${stderr.slice(-1000)}`);
  }
}

function send(origin, method, path, body) {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, origin), {
      method,
      headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
    });
    req.on('response', (res) => res.resume().on('end', resolve));
    req.on('error', reject);
    req.end(body);
  });
}
