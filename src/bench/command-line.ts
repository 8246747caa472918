/** Where a command writes: its standard output and error streams. */
export interface CommandOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** `--help` or `-h` among the arguments: the usage is what was asked for, not a run. */
const asksForHelp = (argv: readonly string[]): boolean => argv.includes('--help') || argv.includes('-h');

/**
 * Parses the options and runs. `--help` gets the usage on stdout, exit code 0; a bad option gets its
 * message and the usage on stderr, exit code 2. `runWith` gives the exit code of a run that finished.
 */
export async function runCommand<T>(
  argv: readonly string[],
  parse: (argv: readonly string[]) => T,
  usage: string,
  runWith: (options: T) => Promise<number>,
  output: CommandOutput,
): Promise<number> {
  if (asksForHelp(argv)) {
    output.out(`${usage}\n`);
    return 0;
  }
  let options: T;
  try {
    options = parse(argv);
  } catch (e) {
    output.err(`bench: ${(e as Error).message}\n${usage}\n`);
    return 2;
  }
  return runWith(options);
}
