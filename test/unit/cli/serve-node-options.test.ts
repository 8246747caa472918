import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codeCacheFile } from '../../../src/cli/code-cache-file';
import { SERVE_NODE_OPTIONS } from '../../../src/cli/serve-node-options';
import { importByteLimit } from '../../../src/server/lab/imported-recording';

const MB = 1024 * 1024;
const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> })
  .scripts;

/** V8's heap limit (old generation and young) in a node started with `options`. */
const heapSizeLimit = (options: readonly string[]): number =>
  Number(
    execFileSync(process.execPath, [
      ...options,
      '-p',
      "require('node:v8').getHeapStatistics().heap_size_limit",
    ]).toString(),
  );

describe('the node options of npm run serve (V8 heap sized for a small server)', () => {
  const servedLimit = heapSizeLimit(SERVE_NODE_OPTIONS);

  it('are what package.json gives node before `trusty-lab serve`, and npm run lab runs that', () => {
    expect(scripts.serve).toBe(`node ${SERVE_NODE_OPTIONS.join(' ')} out/cli/trusty-lab.js serve`);
    expect(scripts.lab).toBe('npm run build && npm run serve');
  });

  it("keep the old generation's limit below 2 GB, where V8 lets it grow to four times its live size", () => {
    // V8 (heap-controller.cc, MaxGrowingFactor): a factor of 4 from 2,048 MB of old-generation limit
    // on 64-bit builds, about 2 just below. The limit reported includes the young generation.
    expect(servedLimit).toBeLessThan(2048 * MB);
    expect(servedLimit).toBeLessThan(heapSizeLimit([]));
  });

  it('leave room for an import of the largest recording the lab takes', () => {
    expect(importByteLimit(servedLimit)).toBe(200 * MB);
  });
});

describe('codeCacheFile (the V8 code cache the launcher offers V8)', () => {
  const bundle = 'out/cli/trusty-lab.cjs';

  it('is the serve one for node started with every serve option, the defaults one otherwise', () => {
    const serve = `${bundle}.serve.v8cache`;
    const defaults = `${bundle}.node-defaults.v8cache`;
    expect(codeCacheFile(bundle, SERVE_NODE_OPTIONS, undefined)).toBe(serve);
    expect(codeCacheFile(bundle, ['--cpu-prof', ...SERVE_NODE_OPTIONS], undefined)).toBe(serve);
    expect(codeCacheFile(bundle, [], SERVE_NODE_OPTIONS.join(' '))).toBe(serve);
    expect(codeCacheFile(bundle, SERVE_NODE_OPTIONS.slice(0, 1), SERVE_NODE_OPTIONS[1])).toBe(serve);
    expect(codeCacheFile(bundle, [], undefined)).toBe(defaults);
    expect(codeCacheFile(bundle, SERVE_NODE_OPTIONS.slice(1), '--enable-source-maps')).toBe(defaults);
  });
});
