import options from './serve-node-options.json';

/**
 * What `npm run serve` (and so `npm run lab`) gives node before `trusty-lab serve`: V8's heap sized
 * for a small server. Node's defaults let V8 grow its young generation to 32 MB (two semi-spaces of
 * 16 MB) under any sustained load, and its old generation to up to four times what it holds live
 * between two full collections (when that generation's limit is 2,048 MB or more, on 64-bit builds;
 * about twice just below). With these, semi-spaces of at most 8 MB and a limit of
 * 2,000 MB (where an import of the largest recording the lab takes still fits), they took about 20
 * MB off the server's peak under the benchmark's load (113-120 MB against 131-135 with Node's defaults,
 * before the replay cache left V8's heap), for 1.4-4.5% of its throughput (README, "Benchmark").
 *
 * Node takes them on its command line (or in NODE_OPTIONS) only. The `trusty-lab` command, started by
 * its `#!/usr/bin/env node` line, runs with Node's defaults: `#!/usr/bin/env -S node …`, which could
 * pass them, does not start where `env` is BusyBox's.
 *
 * The list is serve-node-options.json, which scripts/build-cli.mjs reads too (it makes a code cache
 * for node started either way: code-cache-file.ts); package.json's `serve` script repeats it, and a
 * test keeps the two the same.
 */
export const SERVE_NODE_OPTIONS: readonly string[] = options;
