import { dropWritesAfterClosedPipe } from './closed-pipe';
import { runKeysCommand } from './commands/keys';
import { runRecordingsCommand, type CommandIo } from './commands/recordings';
import { runServeCommand } from './commands/serve';
import { runScenariosCommand } from './commands/scenarios';

const USAGE = `usage: trusty-lab <command> [options]

commands:
  serve        run the provider and the lab UI (web mode)            trusty-lab serve --help
  scenarios    run or list the edge-case scenario library            trusty-lab scenarios --help
  recordings   list, export or import the lab's recordings           trusty-lab recordings --help
  keys         rotate the signing keys of a data directory            trusty-lab keys --help`;

const commands: Record<string, (argv: string[], io: CommandIo) => Promise<number>> = {
  serve: runServeCommand,
  recordings: runRecordingsCommand,
  keys: runKeysCommand,
  scenarios: runScenariosCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const io: CommandIo = { stdout: process.stdout, stderr: process.stderr };
  if (name === undefined || name === '--help' || name === '-h') {
    (name === undefined ? process.stderr : process.stdout).write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`trusty-lab: unknown command '${name}'\n${USAGE}\n`);
    return 2;
  }
  return command(rest, io);
}

dropWritesAfterClosedPipe(process.stdout);
dropWritesAfterClosedPipe(process.stderr);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`trusty-lab: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
