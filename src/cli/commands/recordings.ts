import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../server/infrastructure/sqlite/open-database';
import { createJwtDecoder } from '../../server/lab/jwt-decoder';
import { createRecordingStore } from '../../server/lab/recording-store';
import { streamSink } from '../../server/lab/export-sink';
import { exportRecording, isExportFormat } from '../../server/lab/export-recording';
import { eventCountInWords } from '../../common/event-count';
import { isoTime } from '../../common/time-value';
import { PRODUCT_VERSION } from '../../server/version';
import { defaultDataDir, labDatabaseIn } from './default-data-dir';
import { writeOwnerOnly } from './owner-only-file';
import { importRecordingFile } from './recording-import';

export interface CommandIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}

const USAGE = [
  'usage: trusty-lab recordings list [--data DIR]',
  '       trusty-lab recordings export <id> --format json|har|md --out FILE [--data DIR]',
  '       trusty-lab recordings import FILE [--data DIR]',
  '',
  'An export is written owner-only (0600), replaced only by a complete export, never inside DIR.',
  "An import takes a recording in the native format (an export as json) into a stopped lab's DIR,",
  'under a new id; a running lab imports from its UI or its lab API.',
].join('\n');

class UsageError extends Error {}

function openStore(dataDir: string) {
  const file = labDatabaseIn(dataDir);
  // Read-only: the lab may be running and writing; WAL lets both proceed.
  const db = openDatabase({ dataDir, readonly: true });
  try {
    const hasTables = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'lab_recordings'")
      .get();
    return { db, store: hasTables ? createRecordingStore(db, { migrateSchema: false }) : undefined };
  } catch (e) {
    db.close();
    // SQLite's own words ("no such column", for tables not as this program knows them) name no file.
    throw new Error(`cannot read the lab data in ${file}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * `trusty-lab recordings list|export|import`: the recordings of a lab's data directory, without
 * starting the lab. Exit codes: 0 done, 1 failed, 2 usage error.
 */
export async function runRecordingsCommand(argv: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        data: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.stderr.write(`trusty-lab recordings: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [action, ...rest] = positionals;
  const dataDir = values.data ?? defaultDataDir();

  try {
    if (action === 'list') {
      if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
      return list(dataDir, io);
    }
    if (action === 'export') {
      const [id, extra] = rest;
      if (!id) throw new UsageError('export needs a recording id');
      if (extra) throw new UsageError(`unexpected argument "${extra}"`);
      if (!isExportFormat(values.format)) throw new UsageError('--format must be json, har or md');
      if (!values.out) throw new UsageError('--out FILE is required');
      refuseInsideDataDir(values.out, dataDir);
      return await exportTo(dataDir, id, values.format, values.out, io);
    }
    if (action === 'import') {
      const [file, extra] = rest;
      if (!file) throw new UsageError('import needs a FILE');
      if (extra) throw new UsageError(`unexpected argument "${extra}"`);
      if (values.format || values.out) throw new UsageError('import takes no --format or --out');
      const imported = await importRecordingFile(dataDir, file);
      const fields = [imported.id, eventCountInWords(imported.eventCount), imported.name].map(printable);
      io.stdout.write(`imported ${fields.join('\t')}\n`);
      return 0;
    }
    throw new UsageError(action ? `unknown action "${action}"` : 'missing action (list, export or import)');
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`trusty-lab recordings: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    io.stderr.write(`trusty-lab recordings: ${(e as Error).message}\n`);
    return 1;
  }
}

/** A path with its symbolic links resolved, as far as it exists. */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * An export is never written into the data directory: `--out` naming the lab's database (or its WAL,
 * its lock, its journal) would have replaced it with the export.
 */
function refuseInsideDataDir(out: string, dataDir: string): void {
  const target = join(realPath(dirname(resolve(out))), basename(out));
  const fromDataDir = relative(realPath(dataDir), target);
  if (!fromDataDir.startsWith('..') && !isAbsolute(fromDataDir)) {
    throw new UsageError(`--out ${out} is inside the data directory ${dataDir}: write the export elsewhere`);
  }
}

/**
 * A field as a terminal may show it: names come from the lab API and from imported recordings, and a
 * control character in one (C0, DEL, C1: an escape sequence, a tab, a line feed) would act on the
 * terminal or break the tab-separated line. Each becomes U+FFFD.
 */
const printable = (field: string): string => field.replace(/\p{Cc}/gu, '\uFFFD');

function list(dataDir: string, io: CommandIo): number {
  const { db, store } = openStore(dataDir);
  try {
    const summaries = store?.list() ?? [];
    if (summaries.length === 0) {
      io.stdout.write('no recordings\n');
      return 0;
    }
    for (const s of summaries) {
      const fields = [s.id, isoTime(s.createdAt), eventCountInWords(s.eventCount), s.name].map(printable);
      io.stdout.write(`${fields.join('\t')}\n`);
    }
    return 0;
  } finally {
    db.close();
  }
}

async function exportTo(
  dataDir: string,
  id: string,
  format: 'json' | 'har' | 'md',
  out: string,
  io: CommandIo,
): Promise<number> {
  const { db, store } = openStore(dataDir);
  try {
    const meta = store?.find(id);
    if (!store || !meta) {
      io.stderr.write(`trusty-lab recordings: no recording ${id} in ${dataDir}\n`);
      return 1;
    }
    // Without the running provider, only DPoP proofs (embedded jwk) can be verified offline.
    await writeOwnerOnly(out, (file) =>
      exportRecording(
        format,
        { store, decoder: createJwtDecoder(), version: PRODUCT_VERSION },
        meta,
        streamSink(file),
      ),
    );
    io.stdout.write(`wrote ${out}\n`);
    return 0;
  } finally {
    db.close();
  }
}
