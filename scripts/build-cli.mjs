// Bundles the `trusty-lab` command (and the benchmark) for plain Node. Runtime dependencies stay
// external (they are in `dependencies`); only the project's own TypeScript is bundled.
import { build } from 'esbuild';
import { chmod } from 'node:fs/promises';

const entries = [
  { in: 'src/cli/main.ts', out: 'out/cli/trusty-lab.js' },
  { in: 'src/bench/main.ts', out: 'out/cli/bench.js' },
];

for (const entry of entries) {
  await build({
    entryPoints: [entry.in],
    outfile: entry.out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
  await chmod(entry.out, 0o755);
}
