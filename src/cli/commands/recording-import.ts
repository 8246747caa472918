import { readFileSync, statSync } from 'node:fs';
import { DataDirInUseError, lockDataDir } from '../../server/infrastructure/data-dir-lock';
import { openDatabase } from '../../server/infrastructure/sqlite/open-database';
import {
  bytesInWords,
  importByteLimit,
  importedRecording,
  importLimitInWords,
  importRecording,
  RecordingRefused,
} from '../../server/lab/imported-recording';
import { createRecordingStore, type ImportedRecording } from '../../server/lab/recording-store';
import type { RecordingSummary } from '../../common/lab-events';
import { labDatabaseIn } from './default-data-dir';

/**
 * `trusty-lab recordings import FILE`: a recording in the lab's native format (an export of
 * `recordings export --format json`, or of the lab UI) stored under a new id in a stopped lab's data
 * directory, checked as the lab API checks one (imported-recording.ts) and within the same limit of
 * bytes. A running lab holds its directory: its check catalogue would not know the check specs a
 * recording written beside it brings, so it imports through its own UI or lab API instead.
 */
export async function importRecordingFile(
  dataDir: string,
  file: string,
  { maxBytes = importByteLimit() }: { maxBytes?: number } = {},
): Promise<RecordingSummary> {
  // Never a new data directory (a mistyped --data); another program's database, or a newer lab's, is
  // refused by openDatabase before the lock leaves its files there. Locked before the file is read:
  // a running lab is named at once, not after a long file was parsed.
  labDatabaseIn(dataDir);
  const db = openDatabase({ dataDir });
  try {
    const lock = lockImport(dataDir);
    try {
      return await importRecording(createRecordingStore(db), readRecording(file, maxBytes));
    } catch (e) {
      if (e instanceof RecordingRefused) throw new Error(`${file} is not a recording:\n${e.message}`);
      throw e;
    } finally {
      lock.release();
    }
  } finally {
    db.close();
  }
}

/** The recording in `file`, its fields checked (its events are, as the import reaches them). */
function readRecording(file: string, maxBytes: number): ImportedRecording {
  const stat = statSync(file);
  // readFileSync would wait forever on a FIFO.
  if (!stat.isFile()) throw new Error(`${file} is not a regular file`);
  if (stat.size > maxBytes) {
    throw new Error(`${file} is ${bytesInWords(stat.size)}: ${importLimitInWords(maxBytes)}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file} is not JSON (${(e as Error).message})`, { cause: e });
  }
  const imported = importedRecording(body);
  if ('refused' in imported) throw new Error(`${file} is not a recording:\n${imported.refused}`);
  return imported.recording;
}

function lockImport(dataDir: string) {
  try {
    return lockDataDir(dataDir);
  } catch (e) {
    if (!(e instanceof DataDirInUseError)) throw e;
    const instead = 'import the recording from its lab UI (Inspector, Import…) or its lab API instead';
    throw new Error(`${e.message}: ${instead}`, { cause: e });
  }
}
