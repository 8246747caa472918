import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Makes the directory `dir` and those of its parents that are missing, each with `mode`, like
 * `mkdirSync(dir, { recursive: true, mode })`, but tries each directory once. Node's recursive mkdir
 * tries again for as long as the kernel answers ENOENT for a directory whose parent exists, which
 * /proc does for any new name: `trusty-lab serve --data /proc/x` spun in the kernel for ever, and
 * never said why. Throws the error of the directory that could not be made (ENOTDIR, EEXIST when
 * something that is not a directory is in the way).
 */
export function makeDirectory(dir: string, mode: number): void {
  const path = resolve(dir);
  try {
    mkdirSync(path, { mode });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && statSync(path).isDirectory()) return;
    const parent = dirname(path);
    if (code !== 'ENOENT' || parent === path) throw e;
    makeDirectory(parent, mode);
    // Once more, now that the parent exists: ENOENT again is this directory's own answer.
    mkdirSync(path, { mode });
  }
}
