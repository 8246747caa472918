import { BENCH_USAGE, parseBenchOptions } from './bench-options';
import { runCommand, type CommandOutput } from './command-line';
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
    return runCommand(
      process.argv.slice(3),
      parseInstructionOptions,
      INSTRUCTIONS_USAGE,
      async (options) => {
        await runInstructionCount(options);
        return 0;
      },
      stdio,
    );
  }
  // A lab UI part that broke leaves the report written, and the run failed.
  return runCommand(
    process.argv.slice(2),
    parseBenchOptions,
    BENCH_USAGE,
    async (options) => ('failed' in (await runBench(options)).ui ? 1 : 0),
    stdio,
  );
}

const stdio: CommandOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
