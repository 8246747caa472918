import { lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { isAbsolute, join, parse, resolve } from 'node:path';

/**
 * Deletes everything inside `dir` (not `dir` itself). Refuses a relative path, a filesystem root and
 * a `dir` that is itself a symbolic link: a wrong argument here must not be able to wipe anything
 * but the lab's own data. Links inside are removed, never followed. A missing `dir` is created.
 */
export async function clearDirectoryContents(dir: string): Promise<void> {
  if (!isAbsolute(dir)) throw new Error('clearDirectoryContents needs an absolute path');
  const absolute = resolve(dir);
  if (parse(absolute).root === absolute) throw new Error('refusing to clear a filesystem root');
  let info;
  try {
    info = await lstat(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(absolute, { recursive: true });
    return;
  }
  if (!info.isDirectory()) throw new Error('refusing to clear something that is not a plain directory');
  for (const entry of await readdir(absolute)) {
    await rm(join(absolute, entry), { recursive: true, force: true });
  }
}
