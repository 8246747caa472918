import { existsSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDirectory } from '../../../src/server/infrastructure/make-directory';
import { tempDirs } from '../../support/temp-dirs';

const dirs = tempDirs('trusty-lab-mkdir-');
afterEach(dirs.removeAll);

const modeOf = (path: string): number => statSync(path).mode & 0o777;
const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code;
  }
};

describe('makeDirectory', () => {
  it('makes every missing directory of the path with the mode, and leaves existing ones as they are', () => {
    const base = dirs.make();
    mkdirSync(join(base, 'kept'), { mode: 0o755 });
    makeDirectory(join(base, 'kept', 'a', 'b'), 0o700);
    expect(modeOf(join(base, 'kept'))).toBe(0o755);
    expect(modeOf(join(base, 'kept', 'a'))).toBe(0o700);
    expect(modeOf(join(base, 'kept', 'a', 'b'))).toBe(0o700);
  });

  it('accepts a directory that exists, or a link to one', () => {
    const base = dirs.make();
    makeDirectory(base, 0o700);
    symlinkSync(base, join(base, 'link'));
    makeDirectory(join(base, 'link'), 0o700);
    expect(statSync(join(base, 'link')).isDirectory()).toBe(true);
  });

  it('refuses a file in the way: EEXIST for the path itself, ENOTDIR for a parent', () => {
    const file = join(dirs.make(), 'a-file');
    writeFileSync(file, 'x');
    expect(codeOf(() => makeDirectory(file, 0o700))).toBe('EEXIST');
    expect(codeOf(() => makeDirectory(join(file, 'a', 'b'), 0o700))).toBe('ENOTDIR');
  });

  // /proc, which answers ENOENT for any new name, is tried in serve-cli.test.ts, in a child process:
  // Node's recursive mkdir never gives up there, so a regression would hang this process, not fail.
  it('refuses a link that leads nowhere (ENOENT), and makes nothing where it leads', () => {
    const base = dirs.make();
    symlinkSync(join(base, 'missing'), join(base, 'dangling'));
    expect(codeOf(() => makeDirectory(join(base, 'dangling', 'data'), 0o700))).toBe('ENOENT');
    expect(existsSync(join(base, 'missing'))).toBe(false);
  });
});
