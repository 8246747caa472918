import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATA_DIR_LOCK_FILE, lockDataDir } from '../../../src/server/infrastructure/data-dir-lock';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'trusty-lab-lock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited (and been reaped). */
const deadPid = (): number => {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
};

describe('the data directory lock', () => {
  it('lets one provider hold a data directory, naming the holder to the next', () => {
    const dir = freshDir();
    const lock = lockDataDir(dir);
    expect(readFileSync(join(dir, DATA_DIR_LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    expect(statSync(join(dir, DATA_DIR_LOCK_FILE)).mode & 0o777).toBe(0o600);
    expect(() => lockDataDir(dir)).toThrow(`in use by another trusty-lab process (pid ${process.pid})`);
    lock.release();
    expect(existsSync(join(dir, DATA_DIR_LOCK_FILE))).toBe(false);
    lockDataDir(dir).release();
  });

  it('takes over a lock whose process is gone (a crash, kill -9) or that holds no pid', () => {
    const dir = freshDir();
    writeFileSync(join(dir, DATA_DIR_LOCK_FILE), `${deadPid()}\n`);
    lockDataDir(dir).release();
    writeFileSync(join(dir, DATA_DIR_LOCK_FILE), '');
    const lock = lockDataDir(dir);
    expect(readFileSync(join(dir, DATA_DIR_LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('never removes a lock another process has taken since', () => {
    const dir = freshDir();
    const lock = lockDataDir(dir);
    writeFileSync(join(dir, DATA_DIR_LOCK_FILE), '1\n'); // pid 1 (init) is always alive
    lock.release();
    expect(readFileSync(join(dir, DATA_DIR_LOCK_FILE), 'utf8')).toBe('1\n');
    expect(() => lockDataDir(dir)).toThrow('(pid 1)');
  });
});
