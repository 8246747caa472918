import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Most bytes read of a file the user names (a configuration, scenario or client file). */
export const MAX_INPUT_FILE_BYTES = 16 * 1024 * 1024;

/** Why a file the user named cannot be read, in a few words (an errno code, or what it is not). */
export class InputFileError extends Error {
  override readonly name = 'InputFileError';
}

/**
 * The text of a file the user named: a regular file of at most `maxBytes`, in UTF-8 (a byte order
 * mark is kept, for the JSON parser to ignore). It is opened without blocking and checked before
 * anything is read: a FIFO would hold the command forever, and a device such as /dev/zero would fill
 * the memory.
 */
export function readInputFile(path: string, maxBytes = MAX_INPUT_FILE_BYTES): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new InputFileError((e as NodeJS.ErrnoException).code ?? 'unreadable');
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new InputFileError('not a regular file');
    if (stat.size > maxBytes) throw new InputFileError(`larger than ${maxBytes / (1024 * 1024)} MB`);
    const bytes = Buffer.alloc(stat.size);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) break;
      read += n;
    }
    try {
      return strictUtf8.decode(bytes.subarray(0, read));
    } catch {
      // Decoded leniently, a wrong byte would become U+FFFD: a username no one could type.
      throw new InputFileError('not valid UTF-8');
    }
  } catch (e) {
    if (e instanceof InputFileError) throw e;
    throw new InputFileError((e as NodeJS.ErrnoException).code ?? 'unreadable');
  } finally {
    closeSync(fd);
  }
}
