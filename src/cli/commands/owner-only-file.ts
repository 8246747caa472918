import { createWriteStream, lstatSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { finished } from 'node:stream/promises';

/**
 * Writes `path` so that only its owner can read it, whatever was there before: into a new file, mode
 * 0600 (a mode given for a file that exists already is not applied), renamed over `path` once `write`
 * has written all of it. A file already there is replaced only by a complete one, and nothing is left
 * behind on failure: what is written holds secrets (a lab URL, an export's tokens).
 *
 * Only a regular file (or a symbolic link, which is replaced, not followed) is written over: renamed
 * over a device, a FIFO or a socket, the file would take its place (`--out /dev/null` run as root
 * made /dev/null a regular file holding the export).
 */
export async function writeOwnerOnly(
  path: string,
  write: (file: WriteStream) => Promise<void> | void,
): Promise<void> {
  const existing = lstatSync(path, { throwIfNoEntry: false });
  if (existing && !existing.isFile() && !existing.isSymbolicLink()) {
    throw new Error(`${path} exists and is not a regular file: not written over`);
  }
  const directory = dirname(path);
  if (!statSync(directory, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`${path}: the directory ${directory} does not exist`);
  }
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const file = createWriteStream(temporary, { mode: 0o600, flags: 'wx' });
    await write(file);
    file.end();
    await finished(file);
    renameSync(temporary, path);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw e;
  }
}
