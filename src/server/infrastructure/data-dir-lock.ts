import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const DATA_DIR_LOCK_FILE = 'serve.lock';

export interface DataDirLock {
  release(): void;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
};

const holderOf = (path: string): number | undefined => {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

/**
 * One provider per data directory. Some of its state lives in the serving process only — the replay
 * cache's used `jti`s are in memory, journaled to the directory — so a second provider on the same
 * directory would not see the first one's and would accept their replays (RFC 9449 §11.1). The lock
 * file holds the pid of its owner; a lock whose process is gone (a crash, kill -9) is taken over.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = join(dataDir, DATA_DIR_LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = holderOf(path);
      if (holder !== undefined && isAlive(holder)) {
        throw new Error(
          `the data directory ${dataDir} is in use by another trusty-lab process (pid ${holder})`,
        );
      }
      rmSync(path, { force: true }); // stale, or written half-way by a process that is gone
      continue;
    }
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    return {
      release() {
        if (holderOf(path) === process.pid) rmSync(path, { force: true });
      },
    };
  }
  throw new Error(`cannot take the lock ${path}`);
}
