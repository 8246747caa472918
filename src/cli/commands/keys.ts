import { parseArgs } from 'node:util';
import { openDatabase } from '../../server/infrastructure/sqlite/open-database';
import { openKeyStore } from '../../server/infrastructure/keys/sqlite-key-store';
import { systemClock } from '../../server/domain/clock';
import { defaultDataDir } from './default-data-dir';
import type { CommandIo } from './recordings';

const USAGE = `usage: trusty-lab keys rotate [--data DIR] [--grace SECONDS]

Rotates the signing keys of a stopped lab's data directory: the published next key becomes current,
the current one is retired (still published for the grace period), a new next key is published.
A running lab rotates from the lab UI or its lab API (POST /lab/api/keys/rotate).`;

/** `trusty-lab keys rotate`. */
export async function runKeysCommand(argv: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { data: { type: 'string' }, grace: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    io.stderr.write(`trusty-lab keys: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals[0] !== 'rotate' || positionals.length !== 1) {
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const grace = values.grace === undefined ? 86_400 : Number(values.grace);
  if (!Number.isInteger(grace) || grace <= 0) {
    io.stderr.write('trusty-lab keys: --grace must be a positive number of seconds\n');
    return 2;
  }
  try {
    const db = openDatabase({ dataDir: values.data ?? defaultDataDir() });
    try {
      const keys = await openKeyStore({ db, clock: systemClock, graceSeconds: grace });
      await keys.rotate();
      const kids = (keys.publicJwks().keys ?? []).map((k) => k.kid);
      io.stdout.write(`${kids.join('\n')}\n`);
    } finally {
      db.close();
    }
    return 0;
  } catch (e) {
    io.stderr.write(`trusty-lab keys: ${(e as Error).message}\n`);
    return 1;
  }
}
