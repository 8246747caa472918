import {
  closeSync,
  fstatSync,
  openSync,
  readdirSync,
  readSync,
  statSync,
  unlinkSync,
  writeSync,
  writevSync,
} from 'node:fs';
import { join } from 'node:path';
import { makeDirectory } from '../infrastructure/make-directory';

/**
 * The stored texts of a database's events (stored-event-text.ts), kept beside it: one append-only
 * file per recording, `<database>-events/<recording id>.events`, each text at the byte offset its
 * lab_events row names. SQLite keeps the rows, their order and the recordings; a batch's texts are
 * written with one call instead of going through SQLite's pages, which wrote each text twice (the WAL,
 * then the checkpoint) a 4 KiB page at a time, for about a quarter of what the capture cost the token
 * endpoint (README, "Benchmark").
 *
 * The store writes a batch's texts inside the transaction that inserts its rows, after the inserts:
 * a batch whose rows are refused (its recording deleted meanwhile) writes nothing, and bytes whose
 * rows were not committed (a failed commit, a crash between the two) are never named by a row. A
 * text whose file is gone or short reads as an error, which the store shows as an unreadable event.
 */
export interface EventLog {
  /** Where the next text of the recording will start: its file's size (0 when it has none yet). */
  end(recordingId: string): number;
  /**
   * Appends the texts (in UTF-8) to the recording's file, the first at `at` (what `end` said);
   * throws, having written nothing, when the file no longer ends there.
   */
  append(recordingId: string, texts: readonly Buffer[], at: number): void;
  /** The text of `length` bytes at `offset` in the recording's file; throws when it is not there. */
  read(recordingId: string, offset: number, length: number): string;
  /** Deletes the recording's file (its events were deleted). */
  remove(recordingId: string): void;
  /** Deletes the files of recordings that `exists` does not know (a crash between delete and unlink). */
  prune(exists: (recordingId: string) => boolean): void;
  /** Whether texts of this recording can be logged (its id makes a safe file name). */
  accepts(recordingId: string): boolean;
}

const SUFFIX = '.events';
/** Recording ids are UUIDs; anything else (a database edited by hand) stays in SQLite. */
const FILE_NAME_ID = /^[A-Za-z0-9-]{1,64}$/;
/** Files kept open at once: the current recording's, and a few read for exports and replays. */
const MAX_OPEN = 8;

/** The event log of the database file at `databasePath`; owner-only, as the data directory. */
export function openEventLog(databasePath: string, { readonly = false } = {}): EventLog {
  const dir = `${databasePath}-events`;
  /** Open files by recording, the most recently used last. */
  const files = new Map<string, number>();
  let madeDir = false;

  const pathOf = (recordingId: string): string => join(dir, recordingId + SUFFIX);
  const close = (recordingId: string): void => {
    const fd = files.get(recordingId);
    if (fd === undefined) return;
    files.delete(recordingId);
    closeSync(fd);
  };
  /**
   * The recording's file, opened once for reading and, in a writable log, writing at a position
   * (`r+`); created (owner-only, its directory too) only to append to.
   */
  const open = (recordingId: string, { create = false } = {}): number => {
    let fd = files.get(recordingId);
    if (fd !== undefined) {
      files.delete(recordingId);
      files.set(recordingId, fd);
      return fd;
    }
    if (create && !madeDir) {
      makeDirectory(dir, 0o700);
      madeDir = true;
    }
    const path = pathOf(recordingId);
    fd = readonly ? openSync(path, 'r') : openSync(path, create ? 'a+' : 'r+', 0o600);
    files.set(recordingId, fd);
    if (files.size > MAX_OPEN) close(files.keys().next().value as string);
    return fd;
  };

  return {
    accepts: (recordingId) => FILE_NAME_ID.test(recordingId),
    end(recordingId) {
      // Asked of the file each time (one call a batch): another store on the same database, in this
      // process or another, may have appended since.
      const fd = files.get(recordingId);
      if (fd !== undefined) return fstatSync(fd).size;
      // Not opened (nor created) here: the rows of a recording deleted meanwhile are refused before
      // anything is appended, and no file is left for it.
      try {
        return statSync(pathOf(recordingId)).size;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
        throw e;
      }
    },
    append(recordingId, texts, at) {
      if (readonly) throw new Error('the event log is open read-only');
      const fd = open(recordingId, { create: true });
      if (fstatSync(fd).size !== at) throw new Error('the event log changed under the recording store');
      // One call for the batch, at the end (which `at` is). What a failed write leaves there (a part,
      // before ENOSPC) no row names, and the next batch starts after it.
      let total = 0;
      for (const text of texts) total += text.length;
      const written = writevSync(fd, texts, at);
      if (written < total) {
        // A short write (the disk filling up): the rest from where it stopped, or its error.
        const rest = Buffer.concat(texts).subarray(written);
        let done = 0;
        while (done < rest.length) done += writeSync(fd, rest, done, rest.length - done, at + written + done);
      }
    },
    read(recordingId, offset, length) {
      const fd = open(recordingId);
      const bytes = Buffer.allocUnsafe(length);
      let got = 0;
      while (got < length) {
        const n = readSync(fd, bytes, got, length - got, offset + got);
        if (n === 0) throw new Error('its text is missing from the event log');
        got += n;
      }
      return bytes.toString('utf8');
    },
    remove(recordingId) {
      if (!FILE_NAME_ID.test(recordingId)) return;
      close(recordingId);
      try {
        unlinkSync(pathOf(recordingId));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    },
    prune(exists) {
      let names: string[];
      try {
        if (!statSync(dir).isDirectory()) return;
        names = readdirSync(dir);
      } catch {
        return; // no log yet
      }
      for (const name of names) {
        if (!name.endsWith(SUFFIX)) continue;
        const id = name.slice(0, -SUFFIX.length);
        if (FILE_NAME_ID.test(id) && !exists(id)) this.remove(id);
      }
    },
  };
}
