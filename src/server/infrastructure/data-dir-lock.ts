import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const DATA_DIR_LOCK_FILE = 'serve.lock';
/** Who holds the lock, for the message a second provider prints (information only). */
export const DATA_DIR_PID_FILE = 'serve.pid';

export interface DataDirLock {
  release(): void;
}

/** Another process holds the data directory. */
export class DataDirInUseError extends Error {}

/**
 * One provider per data directory. Some of its state lives in the serving process only — the replay
 * cache's used `jti`s are in memory, journaled to the directory — so a second provider on the same
 * directory would not see the first one's and would accept their replays (RFC 9449 §11.1).
 *
 * The lock is an exclusive SQLite lock on `serve.lock`, held for the life of the process: the
 * operating system drops it when the process ends, however it ends (crash, kill -9, power loss), so
 * there is no stale lock to judge and no pid that a reboot could have given to another process.
 */
export function lockDataDir(
  dataDir: string,
  { nativeBinding }: { nativeBinding?: string } = {},
): DataDirLock {
  const path = join(dataDir, DATA_DIR_LOCK_FILE);
  const pidPath = join(dataDir, DATA_DIR_PID_FILE);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { timeout: 0, ...(nativeBinding ? { nativeBinding } : {}) });
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE'); // never committed: the lock lasts until the connection closes
  } catch (e) {
    db?.close();
    if ((e as { code?: string }).code === 'SQLITE_BUSY') {
      throw new DataDirInUseError(
        `the data directory ${dataDir} is in use by another trusty-lab process${holder(pidPath)}`,
      );
    }
    // SQLite's own words ("unable to open database file", for a directory there) name no file.
    throw new Error(`cannot open the lock file ${path}: ${(e as Error).message}`, { cause: e });
  }
  writeFileSync(pidPath, `${process.pid}\n`, { mode: 0o600 });
  return {
    release() {
      if (!db.open) return;
      if (holder(pidPath) === ` (pid ${process.pid})`) rmSync(pidPath, { force: true });
      db.close();
    },
  };
}

function holder(pidPath: string): string {
  try {
    const pid = Number(readFileSync(pidPath, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? ` (pid ${pid})` : '';
  } catch {
    return '';
  }
}
