// Bundles the `trusty-lab` command and the benchmark for plain Node. The server's pure-JavaScript
// dependencies are bundled in: resolving and loading a few hundred separate ES and CommonJS modules
// was a third of the CPU of a cold start (measured with npm run bench: 400 -> 265 ms of server CPU
// from spawn to the first discovery answer). better-sqlite3 stays external: it loads a native
// binary next to its own files. CommonJS inside an ES module bundle needs a real `require`.
import { build } from 'esbuild';
import { chmod } from 'node:fs/promises';

const entries = [
  { in: 'src/cli/main.ts', out: 'out/cli/trusty-lab.js' },
  { in: 'src/bench/main.ts', out: 'out/cli/bench.js' },
];

const banner = [
  '#!/usr/bin/env node',
  "import { createRequire as __trustyLabCreateRequire } from 'node:module';",
  'const require = __trustyLabCreateRequire(import.meta.url);',
].join('\n');

for (const entry of entries) {
  await build({
    entryPoints: [entry.in],
    outfile: entry.out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The benchmark drives the lab UI with Playwright, a development dependency it loads at run time.
    external: ['better-sqlite3', 'electron', '@playwright/test'],
    sourcemap: true,
    banner: { js: banner },
    logLevel: 'warning',
  });
  await chmod(entry.out, 0o755);
}
