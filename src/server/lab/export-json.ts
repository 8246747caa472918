import { LAB_EVENT_SCHEMA_VERSION } from '../../common/lab-events';
import type { JwtDecoder } from './jwt-decoder';
import type { RecordingMeta, RecordingStore } from './recording-store';
import { chunked, type ExportSink } from './export-sink';

/**
 * The native format: a `Recording` (src/common/lab-events.ts), re-importable. Written event by event,
 * with the JWTs decoded, so that the file stands on its own.
 */
export async function exportJson(
  store: RecordingStore,
  decoder: JwtDecoder,
  meta: RecordingMeta,
  sink: ExportSink,
): Promise<void> {
  const out = chunked(sink);
  const head = {
    schemaVersion: LAB_EVENT_SCHEMA_VERSION,
    id: meta.id,
    name: meta.name,
    createdAt: meta.createdAt,
  };
  await out.write(`${JSON.stringify(head).slice(0, -1)},"events":[`);
  let first = true;
  for (const event of store.events(meta.id)) {
    await out.write((first ? '\n' : ',\n') + JSON.stringify(await decoder.enrich(event)));
    first = false;
  }
  await out.write('\n]}\n');
  await out.end();
}
