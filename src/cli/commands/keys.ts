import { parseArgs } from 'node:util';
import { SIGNING_KEY_GRACE_SECONDS } from '../../server/config/lab-config-schema';
import { DataDirInUseError, lockDataDir } from '../../server/infrastructure/data-dir-lock';
import { openDatabase } from '../../server/infrastructure/sqlite/open-database';
import { openKeyStore } from '../../server/infrastructure/keys/sqlite-key-store';
import { systemClock } from '../../server/domain/clock';
import { defaultDataDir, labDatabaseIn } from './default-data-dir';
import type { CommandIo } from './recordings';

const { default: DEFAULT_GRACE_SECONDS, max: MAX_GRACE_SECONDS } = SIGNING_KEY_GRACE_SECONDS;

const USAGE = `usage: trusty-lab keys rotate [--data DIR] [--grace SECONDS]

Rotates the signing keys of a stopped lab's data directory: the published next key becomes current,
the current one is retired (still published for the grace period), a new next key is published.
A running lab holds its directory, and rotates from the lab UI or its lab API
(POST /lab/api/keys/rotate).

  --data DIR       the lab's data directory (the one trusty-lab serve uses by default)
  --grace SECONDS  how long the retired key stays published (default ${DEFAULT_GRACE_SECONDS}, at most ${MAX_GRACE_SECONDS})`;

function lockRotation(dataDir: string) {
  try {
    return lockDataDir(dataDir);
  } catch (e) {
    if (!(e instanceof DataDirInUseError)) throw e;
    throw new Error(
      `${e.message}: rotate its keys from the lab UI or its lab API (POST /lab/api/keys/rotate)`,
      { cause: e },
    );
  }
}

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
  // As the configuration's signing_key_grace: whole seconds, at most 30 days.
  const grace =
    values.grace === undefined
      ? DEFAULT_GRACE_SECONDS
      : /^\d{1,7}$/.test(values.grace)
        ? Number(values.grace)
        : NaN;
  if (!(grace > 0 && grace <= MAX_GRACE_SECONDS)) {
    io.stderr.write(
      `trusty-lab keys: --grace must be a whole number of seconds, from 1 to ${MAX_GRACE_SECONDS} (30 days)\n`,
    );
    return 2;
  }
  const dataDir = values.data ?? defaultDataDir();
  try {
    // Never a new data directory: a typo in --data would otherwise rotate keys nobody serves.
    labDatabaseIn(dataDir);
    // Opened first: another program's database, or a newer lab's, is refused before the lock
    // leaves its files in that directory.
    const db = openDatabase({ dataDir });
    try {
      // Not under a running lab: it publishes the keys it loaded, so a key rotated in beside it would
      // sign (after the lab's next rotation) without ever having been published by it.
      const lock = lockRotation(dataDir);
      try {
        const keys = await openKeyStore({ db, clock: systemClock, graceSeconds: grace });
        await keys.rotate();
        const kids = (keys.publicJwks().keys ?? []).map((k) => k.kid);
        io.stdout.write(`${kids.join('\n')}\n`);
      } finally {
        lock.release();
      }
    } finally {
      db.close();
    }
    return 0;
  } catch (e) {
    io.stderr.write(`trusty-lab keys: ${(e as Error).message}\n`);
    return 1;
  }
}
