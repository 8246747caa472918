import { describe, expect, it } from 'vitest';
import { BENCH_USAGE, parseBenchOptions } from '../../../src/bench/bench-options';
import { runCommand } from '../../../src/bench/command-line';

/** Runs the benchmark's command line with `argv`, the run itself replaced by one that notes it ran and exits 3. */
async function command(argv: string[]) {
  const written = { out: '', err: '' };
  let ran = false;
  const code = await runCommand(
    argv,
    parseBenchOptions,
    BENCH_USAGE,
    async () => {
      ran = true;
      return 3;
    },
    { out: (text) => (written.out += text), err: (text) => (written.err += text) },
  );
  return { code, ran, ...written };
}

describe("the benchmark's command line", () => {
  it.each([['--help'], ['-h'], ['--rounds', '3', '--help']])(
    'answers %s with the usage on stdout, exit code 0, and runs nothing',
    async (...argv) => {
      const { code, ran, out, err } = await command(argv);
      expect({ code, ran, err }).toEqual({ code: 0, ran: false, err: '' });
      expect(out).toBe(`${BENCH_USAGE}\n`);
      expect(out).toContain('--help, -h');
    },
  );

  it('answers an unknown option with its message and the usage on stderr, exit code 2', async () => {
    const { code, ran, out, err } = await command(['--bogus']);
    expect({ code, ran, out }).toEqual({ code: 2, ran: false, out: '' });
    expect(err).toMatch(/^bench: Unknown option '--bogus'/);
    expect(err).toContain(BENCH_USAGE);
  });

  it('runs with options it understands, and gives the run’s exit code', async () => {
    const { code, ran, out, err } = await command(['--rounds', '3']);
    expect({ code, ran, out, err }).toEqual({ code: 3, ran: true, out: '', err: '' });
  });
});
