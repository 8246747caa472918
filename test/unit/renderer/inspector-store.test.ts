import { beforeEach, describe, expect, it } from 'vitest';
import { useInspectorStore } from '../../../src/renderer/stores/inspector-store';
import { exchange, note } from './fixtures';

describe('inspector store', () => {
  beforeEach(() => {
    useInspectorStore.getState().showLive();
    useInspectorStore.getState().clear();
  });

  it('appends live events and bumps the version once per batch', () => {
    const before = useInspectorStore.getState().version;
    useInspectorStore.getState().applyLive([exchange(), note('x')]);
    const state = useInspectorStore.getState();
    expect(state.model.items).toHaveLength(2);
    expect(state.version).toBeGreaterThan(before);
  });

  it('shows a stored recording without the live events, and keeps following it when it is current', () => {
    useInspectorStore.getState().applyLive([exchange()]);
    useInspectorStore.getState().showRecording('rec-1', [note('from the recording')], false);
    useInspectorStore.getState().applyLive([exchange()]);
    expect(useInspectorStore.getState().model.items.map((i) => i.kind)).toEqual(['note']);

    useInspectorStore.getState().showRecording('rec-2', [], true);
    useInspectorStore.getState().applyLive([exchange()]);
    expect(useInspectorStore.getState().model.items).toHaveLength(1);
  });

  it('following a recording live shows only the events filed under it', () => {
    useInspectorStore.getState().showRecording('rec-1', [], true);
    useInspectorStore.getState().applyLive([
      { ...exchange(), recordingId: 'rec-1' },
      { ...exchange(), recordingId: 'rec-2' },
      { ...note('mine'), recordingId: 'rec-1' },
    ]);
    const items = useInspectorStore.getState().model.items;
    expect(items).toHaveLength(2);
    expect(items.map((i) => i.kind)).toEqual(['exchange', 'note']);
  });

  it('keeps the live diagram bounded in a long session', () => {
    const batch = Array.from({ length: 26_000 }, () => exchange());
    useInspectorStore.getState().applyLive(batch);
    expect(useInspectorStore.getState().model.items.length).toBeLessThanOrEqual(20_000);
    expect(useInspectorStore.getState().liveEvents.length).toBeLessThanOrEqual(20_000);
  });

  it('returns to every live event seen, and clear empties the view', () => {
    useInspectorStore.getState().applyLive([exchange(), exchange()]);
    useInspectorStore.getState().showRecording('r', [], false);
    useInspectorStore.getState().showLive();
    expect(useInspectorStore.getState().model.items).toHaveLength(2);
    useInspectorStore.getState().select('k');
    useInspectorStore.getState().clear();
    expect(useInspectorStore.getState().model.items).toHaveLength(0);
    expect(useInspectorStore.getState().selectedKey).toBeNull();
    useInspectorStore.getState().showLive();
    expect(useInspectorStore.getState().model.items).toHaveLength(0);
  });
});
