import { create } from 'zustand';
import type { LabEvent } from '../../common/lab-events';
import { addEvent, createDiagramModel, type DiagramModel } from '../model/diagram-model';

/** Which events the diagram shows: everything live, or one stored recording. */
export type RecordingFilter = { kind: 'live' } | { kind: 'recording'; id: string; followLive: boolean };

interface InspectorState {
  /** Mutated in place (appends are O(1)); `version` tells subscribers it changed. */
  model: DiagramModel;
  version: number;
  filter: RecordingFilter;
  search: string;
  /** CORS preflights are noise in most lessons: hidden unless asked for. */
  showPreflights: boolean;
  setShowPreflights(show: boolean): void;
  /** The item whose details are open. */
  selectedKey: string | null;
  /** The row the keyboard is on. */
  activeRowKey: string | null;
  /** Every live event since the UI opened, so "live" can be shown again after a recording. */
  liveEvents: LabEvent[];
  applyLive(events: LabEvent[]): void;
  showRecording(id: string, events: LabEvent[], followLive: boolean): void;
  showLive(): void;
  clear(): void;
  setSearch(search: string): void;
  select(key: string | null): void;
  setActiveRow(key: string | null): void;
}

/** Performance marks and measures (User Timing), read by the lab UI part of `npm run bench`. */
export const APPEND_MARK = 'lab:append-start';
export const APPEND_MEASURE = 'lab:append';
export const DETAIL_MARK = 'lab:detail-start';
export const DETAIL_MEASURE = 'lab:detail-open';

/** The live buffer kept in the UI (the lab keeps everything in its recordings). */
const MAX_LIVE_EVENTS = 20_000;

export const useInspectorStore = create<InspectorState>((set, get) => ({
  model: createDiagramModel(),
  version: 0,
  filter: { kind: 'live' },
  search: '',
  showPreflights: false,
  setShowPreflights(showPreflights) {
    set({ showPreflights });
  },
  selectedKey: null,
  activeRowKey: null,
  liveEvents: [],
  applyLive(events) {
    // User Timing marks: the diagram measures append-to-commit against them (see SequenceDiagram).
    performance.mark(APPEND_MARK);
    const { model, filter, liveEvents } = get();
    for (const e of events) liveEvents.push(e);
    if (liveEvents.length > MAX_LIVE_EVENTS) liveEvents.splice(0, liveEvents.length - MAX_LIVE_EVENTS);
    let changed = false;
    for (const e of events) {
      // Following a recording live: only the events filed under that recording.
      const shown =
        filter.kind === 'live' ||
        (filter.followLive && (e.recordingId === undefined || e.recordingId === filter.id));
      if (shown) changed = addEvent(model, e) || changed;
    }
    if (filter.kind === 'live' && model.items.length > MAX_LIVE_EVENTS * 1.25) {
      // Bounded memory in a long session: the live view keeps what the live buffer keeps (amortised:
      // rebuilt once per quarter of the cap, not per event).
      const trimmed = createDiagramModel(liveEvents);
      set({ model: trimmed, version: model.version + 1 });
      return;
    }
    if (changed) set({ version: model.version });
  },
  showRecording(id, events, followLive) {
    const model = createDiagramModel(events);
    set({
      model,
      version: model.version,
      filter: { kind: 'recording', id, followLive },
      selectedKey: null,
      activeRowKey: null,
    });
  },
  showLive() {
    const model = createDiagramModel(get().liveEvents);
    set({ model, version: model.version, filter: { kind: 'live' }, selectedKey: null, activeRowKey: null });
  },
  clear() {
    // Clears the view only: the recordings in the lab keep their events.
    const model = createDiagramModel();
    get().liveEvents.length = 0;
    set({ model, version: model.version, selectedKey: null, activeRowKey: null });
  },
  setSearch(search) {
    set({ search });
  },
  select(selectedKey) {
    if (selectedKey) performance.mark(DETAIL_MARK);
    set({ selectedKey });
  },
  setActiveRow(activeRowKey) {
    set({ activeRowKey });
  },
}));
