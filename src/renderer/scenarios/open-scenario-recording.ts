import { showRecordingById } from '../components/InspectorToolbar';
import type { DiagramModel } from '../model/diagram-model';
import { useInspectorStore } from '../stores/inspector-store';
import { useLabStore } from '../stores/lab-store';
import { useUiStore } from '../stores/ui-store';

/** The first exchange on which the server recorded a failed check: where a scenario's rule bit. */
export function firstFailingExchangeKey(model: DiagramModel): string | undefined {
  for (const item of model.items) {
    if (item.kind !== 'exchange') continue;
    const checks = item.exchange.server?.checks ?? [];
    if (checks.some((c) => c.outcome === 'failed')) return item.key;
  }
  return undefined;
}

/** Opens a scenario's recording in the inspector, with the exchange whose check failed selected. */
export async function openScenarioRecording(recordingId: string): Promise<void> {
  // The scenario made the recording after the list was last read: refresh it, so the filter names it.
  const { api, setRecordings } = useLabStore.getState();
  if (api) setRecordings(await api.recordings());
  await showRecordingById(recordingId);
  useUiStore.getState().setTab('inspector');
  const inspector = useInspectorStore.getState();
  const key = firstFailingExchangeKey(inspector.model);
  if (key) {
    inspector.select(key);
    inspector.setActiveRow(`${key}:req`);
  }
}
