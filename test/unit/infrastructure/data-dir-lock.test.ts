import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../support/temp-dirs';
import {
  DATA_DIR_LOCK_FILE,
  DATA_DIR_PID_FILE,
  DataDirInUseError,
  lockDataDir,
} from '../../../src/server/infrastructure/data-dir-lock';

const dirs = tempDirs('trusty-lab-lock-');
const freshDir = dirs.make;
afterEach(dirs.removeAll);

describe('the data directory lock', () => {
  it('lets one provider hold a data directory, naming the holder to the next', () => {
    const dir = freshDir();
    const lock = lockDataDir(dir);
    expect(readFileSync(join(dir, DATA_DIR_PID_FILE), 'utf8').trim()).toBe(String(process.pid));
    expect(statSync(join(dir, DATA_DIR_PID_FILE)).mode & 0o777).toBe(0o600);
    expect(() => lockDataDir(dir)).toThrow(`in use by another trusty-lab process (pid ${process.pid})`);
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    lock.release();
    lockDataDir(dir).release();
  });

  it('is held by another process until that process dies, however it dies', async () => {
    const dir = freshDir();
    // Another process takes the same SQLite lock, then is killed without any clean-up.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(${JSON.stringify(join(dir, DATA_DIR_LOCK_FILE))});
         db.pragma('locking_mode = EXCLUSIVE'); db.exec('BEGIN EXCLUSIVE');
         process.stdout.write('locked'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise((resolve) => holder.stdout.once('data', resolve));
    writeFileSync(join(dir, DATA_DIR_PID_FILE), `${holder.pid}\n`);
    expect(() => lockDataDir(dir)).toThrow(`(pid ${holder.pid})`);

    const exited = new Promise((resolve) => holder.once('exit', resolve));
    holder.kill('SIGKILL');
    await exited;
    // No stale lock: the operating system released it with the process.
    const lock = lockDataDir(dir);
    expect(readFileSync(join(dir, DATA_DIR_PID_FILE), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('names the lock file when it cannot be opened (a directory in its place)', () => {
    const dir = freshDir();
    mkdirSync(join(dir, DATA_DIR_LOCK_FILE));
    expect(() => lockDataDir(dir)).toThrow(
      `cannot open the lock file ${join(dir, DATA_DIR_LOCK_FILE)}: unable to open database file`,
    );
  });

  it('never removes the pid file of a provider that took the directory since', () => {
    const dir = freshDir();
    const lock = lockDataDir(dir);
    writeFileSync(join(dir, DATA_DIR_PID_FILE), '1\n');
    lock.release();
    expect(readFileSync(join(dir, DATA_DIR_PID_FILE), 'utf8')).toBe('1\n');
  });
});
