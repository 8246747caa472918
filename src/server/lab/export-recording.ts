import type { JwtDecoder } from './jwt-decoder';
import type { RecordingMeta, RecordingStore } from './recording-store';
import type { ExportSink } from './export-sink';
import { exportHar } from './export-har';
import { exportJson } from './export-json';
import { exportMarkdown } from './export-markdown';

export const EXPORT_FORMATS = ['json', 'har', 'md'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const isExportFormat = (value: unknown): value is ExportFormat =>
  typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  har: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
};

/** A file name for the download: the recording's name, made safe, with the format's extension. */
export function exportFileName(meta: RecordingMeta, format: ExportFormat): string {
  const base = meta.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'recording';
  return `${base.slice(0, 80)}.${format === 'json' ? 'trusty.json' : format}`;
}

export async function exportRecording(
  format: ExportFormat,
  deps: { store: RecordingStore; decoder: JwtDecoder; version: string },
  meta: RecordingMeta,
  sink: ExportSink,
): Promise<void> {
  switch (format) {
    case 'json':
      return exportJson(deps.store, deps.decoder, meta, sink);
    case 'har':
      return exportHar(deps.store, meta, sink, { version: deps.version });
    case 'md':
      return exportMarkdown(deps.store, deps.decoder, meta, sink);
  }
}
