import { BENCH_USAGE, parseBenchOptions } from './bench-options';
import { measureCryptoLimit } from './crypto-limit';
import { CRYPTO_LIMIT_CHILD_FLAG } from './crypto-limit-process';
import { EVENT_STREAM_CHILD_FLAG, readLabEvents } from './event-stream-reader';
import { INSTRUCTIONS_USAGE, parseInstructionOptions, runInstructionCount } from './instruction-count';
import { runBench } from './run-bench';

/** `node out/cli/bench.js`: the benchmark of issue 8 (see the README's "Benchmark" section). */
async function main(): Promise<number> {
  // The harness runs the crypto-limit measurement in a child pinned to the server's core.
  if (process.argv[2] === CRYPTO_LIMIT_CHILD_FLAG) {
    process.stdout.write(`${JSON.stringify(measureCryptoLimit())}\n`);
    return 0;
  }
  // And, with --viewer, the reader of a server's lab event stream in a child of its own.
  if (process.argv[2] === EVENT_STREAM_CHILD_FLAG) {
    await readLabEvents(process.argv[3] ?? '');
    return 0;
  }
  if (process.argv[2] === 'instructions') {
    return run(process.argv.slice(3), parseInstructionOptions, INSTRUCTIONS_USAGE, async (options) => {
      await runInstructionCount(options);
      return 0;
    });
  }
  // A lab UI part that broke leaves the report written, and the run failed.
  return run(process.argv.slice(2), parseBenchOptions, BENCH_USAGE, async (options) =>
    'failed' in (await runBench(options)).ui ? 1 : 0,
  );
}

/**
 * Parses the options and runs; a bad option gets its message and the usage, exit code 2. `runWith`
 * gives the exit code of a run that finished.
 */
async function run<T>(
  argv: readonly string[],
  parse: (argv: readonly string[]) => T,
  usage: string,
  runWith: (options: T) => Promise<number>,
): Promise<number> {
  let options: T;
  try {
    options = parse(argv);
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n${usage}\n`);
    return 2;
  }
  return runWith(options);
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
