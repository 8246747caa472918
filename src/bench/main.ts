import { BENCH_USAGE, parseBenchOptions } from './bench-options';
import { runBench } from './run-bench';

/** `node out/cli/bench.js`: the benchmark of issue 8 (see the README's "Benchmark" section). */
async function main(): Promise<number> {
  let options;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n${BENCH_USAGE}\n`);
    return 2;
  }
  await runBench(options);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
