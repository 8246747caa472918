import { setImmediate as nextTurn } from 'node:timers/promises';
import { getHeapStatistics } from 'node:v8';
import * as z from 'zod';
import { builtOnFirstUse } from '../../common/built-on-first-use';
import { labEventSchemas, type LabEvent, type RecordingSummary } from '../../common/lab-events';
import { importSlices, type ImportedRecording, type RecordingStore } from './recording-store';

/** An imported event that is not a lab event: the import is undone and refused (400). */
export class RecordingRefused extends Error {}

const MB = 1024 * 1024;

/** The most the lab API reads of a recording to import, wherever it runs. */
const MOST_IMPORT_BYTES = 200 * MB;

/**
 * V8's heap an import may take, as a multiple of the recording's bytes: the parsed JSON of every
 * event, and a slice of them checked and written at a time. The worst case is the smallest event the
 * lab stores, a note of about 70 bytes (an object each): with a 560 MB heap (`--max-old-space-size=512`)
 * 180 MB of notes imported and 200 MB ended the process, so 2.9 times is the edge; 4 leaves room for
 * what the lab holds besides.
 */
const HEAP_PER_IMPORTED_BYTE = 4;

/**
 * The most the lab API reads of a recording to import: 200 MB, or less where V8's heap is smaller than
 * an import of that size may need. V8 sizes its heap by the machine's memory unless node is told
 * otherwise (4,144 MB on a machine of 24 GB; 560 MB with `--max-old-space-size=512`): past what it
 * holds, an import ended the process where it must be refused (413).
 */
export function importByteLimit(heapSizeLimit = getHeapStatistics().heap_size_limit): number {
  return Math.min(MOST_IMPORT_BYTES, Math.floor(heapSizeLimit / HEAP_PER_IMPORTED_BYTE / MB) * MB);
}

/** A number of bytes as the import's refusals say it: whole megabytes, or bytes. */
export const bytesInWords = (bytes: number): string =>
  bytes % MB === 0 ? `${bytes / MB} MB` : `${bytes} bytes`;

/** Why a recording past `limit` bytes is refused, by the lab API (413) and the command line alike. */
export const importLimitInWords = (limit: number): string =>
  `this lab imports recordings of at most ${bytesInWords(limit)} (its memory allows no more)`;

/**
 * An imported file is not evidence: whatever it says about signatures was not checked here, so every
 * verification claim it carries is replaced by "not verified" (a crafted file cannot make the
 * inspector show a forged token as verified).
 */
export function distrustImportedSignatures(event: LabEvent): LabEvent {
  if (event.type !== 'exchange') return event;
  return {
    ...event,
    jwts: event.jwts.map((jwt) => ({
      ...jwt,
      signature: { verified: null, detail: 'from an imported recording: not verified by this lab' },
    })),
  };
}

const recordingFields = builtOnFirstUse(() => labEventSchemas().recording.omit({ events: true }));

/**
 * A parsed request body as a recording to import, or why it is not one. Its fields but the events are
 * checked here; each event when the import reaches it (`RecordingRefused` then): an event's parsed
 * JSON is let go of as soon as it is checked, so that the import never holds two copies of them all.
 */
export function importedRecording(body: unknown): { recording: ImportedRecording } | { refused: string } {
  const fields = recordingFields().safeParse(body);
  const events = (body as { events?: unknown } | null)?.events;
  if (!fields.success || !Array.isArray(events)) {
    const error = fields.success
      ? new z.ZodError([{ code: 'custom', path: ['events'], message: 'expected an array', input: events }])
      : fields.error;
    return { refused: z.prettifyError(error) };
  }
  return { recording: { ...fields.data, events: checkedEvents(events) } };
}

function* checkedEvents(events: unknown[]): Generator<LabEvent> {
  const labEvent = labEventSchemas().labEvent;
  for (let i = 0; i < events.length; i++) {
    const checked = labEvent.safeParse(events[i]);
    events[i] = undefined;
    if (!checked.success) {
      const issues = checked.error.issues.map((issue) => ({ ...issue, path: ['events', i, ...issue.path] }));
      throw new RecordingRefused(z.prettifyError(new z.ZodError(issues)));
    }
    yield distrustImportedSignatures(checked.data);
  }
}

/**
 * Stores `recording` under a new id, a slice at a time (RecordingStore.beginImport), giving the event
 * loop a turn after each slice: the provider and the lab answer what came in meanwhile (200 MB of
 * small events take seconds to write). Whatever ends it early (an event refused, a write that failed)
 * abandons it and is thrown.
 */
export async function importRecording(
  store: RecordingStore,
  recording: ImportedRecording,
): Promise<RecordingSummary> {
  const importing = store.beginImport(recording);
  try {
    for (const slice of importSlices(recording.events)) {
      importing.append(slice);
      await nextTurn();
    }
    return importing.finish();
  } catch (e) {
    importing.abandon();
    throw e;
  }
}
