import { lazy, Suspense, useRef, useState, type ChangeEvent } from 'react';
import { eventCountInWords } from '../../common/event-count';
import { describeError } from '../flow/flow-controller';
import { saveExport } from '../lab/file-transfer';
import type { ExportFormat } from '../lab/lab-api-client';
import { useInspectorStore } from '../stores/inspector-store';
import { useLabStore } from '../stores/lab-store';
import { useUiStore } from '../stores/ui-store';

export async function showRecordingById(id: string): Promise<void> {
  const { api, currentRecordingId } = useLabStore.getState();
  if (!api) return;
  const recording = await api.recording(id);
  useInspectorStore.getState().showRecording(id, recording.events, id === currentRecordingId);
}

export async function importRecordingText(text: string): Promise<void> {
  const { api } = useLabStore.getState();
  if (!api) return;
  const summary = await api.importRecording(text);
  useLabStore.getState().setRecordings(await api.recordings());
  await showRecordingById(summary.id);
  useUiStore.getState().notify(`Imported “${summary.name}” (${eventCountInWords(summary.eventCount)}).`);
}

export async function exportRecording(format: ExportFormat): Promise<void> {
  const { api, currentRecordingId } = useLabStore.getState();
  const filter = useInspectorStore.getState().filter;
  const id = filter.kind === 'recording' ? filter.id : currentRecordingId;
  if (!api || !id) return;
  const file = await api.exportRecording(id, format);
  const saved = await saveExport(file);
  if (saved) useUiStore.getState().notify(`Exported ${saved}.`);
}

// The Mermaid preview (and mermaid itself) load only when asked for.
const MermaidPreview = lazy(() => import('./MermaidPreview').then((m) => ({ default: m.MermaidPreview })));

export function InspectorToolbar() {
  const recordings = useLabStore((s) => s.recordings);
  const current = useLabStore((s) => s.currentRecordingId);
  const api = useLabStore((s) => s.api);
  const filter = useInspectorStore((s) => s.filter);
  const search = useInspectorStore((s) => s.search);
  const setSearch = useInspectorStore((s) => s.setSearch);
  const clear = useInspectorStore((s) => s.clear);
  const showPreflights = useInspectorStore((s) => s.showPreflights);
  const setShowPreflights = useInspectorStore((s) => s.setShowPreflights);
  const showLive = useInspectorStore((s) => s.showLive);
  const notify = useUiStore((s) => s.notify);
  const [format, setFormat] = useState<ExportFormat>('json');
  const fileInput = useRef<HTMLInputElement>(null);
  const [mermaidOpen, setMermaidOpen] = useState(false);

  const onPick = (e: ChangeEvent<HTMLSelectElement>) => {
    const value = e.target.value;
    if (value === 'live') showLive();
    else showRecordingById(value).catch((err: unknown) => notify(describeError(err), 'error'));
  };

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    try {
      await importRecordingText(await file.text());
    } catch (err) {
      notify(`Import failed: ${describeError(err)}`, 'error');
    }
  };

  return (
    <div className="toolbar" role="toolbar" aria-label="Inspector tools">
      <label className="field inline">
        <span>Recording</span>
        <select
          value={filter.kind === 'live' ? 'live' : filter.id}
          onChange={onPick}
          onFocus={() => {
            api
              ?.recordings()
              .then((list) => useLabStore.getState().setRecordings(list))
              .catch(() => undefined);
          }}
          data-testid="recording-filter"
        >
          <option value="live">All live events</option>
          {recordings.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name} ({r.eventCount}){r.id === current ? ' — current' : ''}
            </option>
          ))}
        </select>
      </label>
      <label className="field inline grow">
        <span className="sr-only">Search exchanges</span>
        <input
          type="search"
          placeholder="Search: token, dpop, 400, RFC 9449…"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </label>
      <label className="small">
        <input
          type="checkbox"
          checked={showPreflights}
          onChange={(e) => setShowPreflights(e.target.checked)}
        />{' '}
        CORS preflights
      </label>
      <button type="button" className="btn" onClick={() => clear()}>
        Clear
      </button>
      <label className="field inline">
        <span className="sr-only">Export format</span>
        <select
          value={format}
          onChange={(e) => setFormat(e.target.value as ExportFormat)}
          aria-label="Export format"
        >
          <option value="json">JSON</option>
          <option value="har">HAR</option>
          <option value="md">Markdown</option>
        </select>
      </label>
      <button
        type="button"
        className="btn"
        onClick={() =>
          exportRecording(format).catch((err: unknown) =>
            notify(`Export failed: ${describeError(err)}`, 'error'),
          )
        }
      >
        Export
      </button>
      <button
        type="button"
        className="btn"
        onClick={() => {
          const bridge = window.trustyLab;
          if (bridge) {
            bridge
              .openRecordingDialog()
              .then((opened) => (opened ? importRecordingText(opened.content) : undefined))
              .catch((err: unknown) => notify(`Import failed: ${describeError(err)}`, 'error'));
          } else fileInput.current?.click();
        }}
      >
        Import…
      </button>
      <button type="button" className="btn" onClick={() => setMermaidOpen(true)}>
        View as Mermaid
      </button>
      {mermaidOpen && (
        <Suspense fallback={null}>
          <MermaidPreview onClose={() => setMermaidOpen(false)} />
        </Suspense>
      )}
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        className="sr-only"
        tabIndex={-1}
        aria-label="Import a recording (JSON)"
        onChange={(e) => void onFile(e)}
      />
    </div>
  );
}
