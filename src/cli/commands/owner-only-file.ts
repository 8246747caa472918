import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

/**
 * Writes `path` so that only its owner can read it, whatever was there before: into a new file, mode
 * 0600 (a mode given for a file that exists already is not applied), renamed over `path` once `write`
 * has written all of it. A file already there is replaced only by a complete one, and nothing is left
 * behind on failure: what is written holds secrets (a lab URL, an export's tokens).
 */
export async function writeOwnerOnly(
  path: string,
  write: (file: WriteStream) => Promise<void> | void,
): Promise<void> {
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
