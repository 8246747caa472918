/**
 * `out/cli/trusty-lab.js`: loads the bundled command line (`trusty-lab.cjs`, beside it) with V8's
 * code cache, so that a start does not parse and compile 1.5 MB of JavaScript again.
 *
 * The caches (`trusty-lab.cjs.*.v8cache`, one for each way node is started: code-cache-file.ts) are
 * written at build time (scripts/build-cli.mjs runs the provider once each way with
 * TRUSTY_LAB_WRITE_CODE_CACHE=1 and stops it), next to the code they were made from, never at run
 * time: they are as trusted as the bundle itself. V8 checks a cache against the source, its own
 * version and flags, and rejects any mismatch, after which the bundle is compiled as usual.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { codeCacheFile } from './code-cache-file';

const here = dirname(fileURLToPath(import.meta.url));
const bundle = join(here, 'trusty-lab.cjs');
const cacheFile = codeCacheFile(bundle, process.execArgv, process.env.NODE_OPTIONS);

let cachedData: Buffer | undefined;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // No cache (a build without one, or removed): compiled as usual.
}

// The CommonJS wrapper Node itself puts around a module, so that the bundle sees require and __filename.
const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
cachedData = undefined;

if (process.env.TRUSTY_LAB_WRITE_CODE_CACHE === '1') {
  // Written on the way out, when the functions the run needed have been compiled and can be cached.
  process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
}

const commonJsModule = { exports: {} };
const run = script.runInThisContext() as (
  exports: unknown,
  require: NodeJS.Require,
  module: unknown,
  filename: string,
  dirname: string,
) => void;
run(commonJsModule.exports, createRequire(bundle), commonJsModule, bundle, here);
