import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { ScenariosView } from '../../../src/renderer/scenarios/ScenariosView';
import { groupByCategory, resultView } from '../../../src/renderer/scenarios/scenarios-model';
import {
  createScenariosStore,
  scenariosApiPaths,
  type ScenariosLabApi,
} from '../../../src/renderer/scenarios/scenarios-store';
import type { ScenarioInfo, ScenarioResult } from '../../../src/scenarios/types';

const info = (id: string, category: ScenarioInfo['category']): ScenarioInfo => ({
  id,
  title: `Title ${id}`,
  category,
  description: 'what it does',
  expected: { status: 400, error: 'invalid_grant' },
  clause: 'RFC 7636 §4.6',
  teaching: 'why it matters',
});
const catalogue = [info('b', 'par'), info('a', 'pkce'), info('c', 'pkce')];
const failed: ScenarioResult = {
  id: 'a',
  title: 'Title a',
  category: 'pkce',
  clause: 'RFC 7636 §4.6',
  outcome: 'fail',
  expected: { status: 400, error: 'invalid_grant' },
  actual: { status: 200 },
  durationMs: 5,
  recordingId: 'rec-7',
  reason: 'expected 400 invalid_grant, got 200',
};

function fakeApi(): ScenariosLabApi & { post: ReturnType<typeof vi.fn> } {
  return {
    get: vi.fn(async () => catalogue) as ScenariosLabApi['get'],
    post: vi.fn(async () => ({ results: [failed] })),
  } as ScenariosLabApi & { post: ReturnType<typeof vi.fn> };
}

describe('scenarios model', () => {
  it('groups the catalogue by category in catalogue order', () => {
    expect(groupByCategory(catalogue).map((g) => [g.category, g.scenarios.map((s) => s.id)])).toEqual([
      ['pkce', ['a', 'c']],
      ['par', ['b']],
    ]);
  });
  it('shows expected vs actual and the recording of a result', () => {
    expect(resultView(failed)).toMatchObject({
      mark: '✗',
      expected: '400 invalid_grant',
      actual: '200',
      recordingId: 'rec-7',
    });
  });
});

describe('scenarios store', () => {
  it('loads the catalogue and runs one, a category or all with the right request', async () => {
    const api = fakeApi();
    const store = createScenariosStore(api);
    await store.getState().load();
    expect(store.getState().catalogue).toHaveLength(3);
    await store.getState().run({ id: 'a' });
    await store.getState().run({ category: 'pkce' });
    await store.getState().run({ all: true });
    expect(api.post.mock.calls).toEqual([
      [scenariosApiPaths.run, { ids: ['a'] }],
      [scenariosApiPaths.run, { category: 'pkce' }],
      [scenariosApiPaths.run, {}],
    ]);
    expect(store.getState().results.a?.outcome).toBe('fail');
    expect(store.getState().running).toBeNull();
  });

  it('says when a run fails', async () => {
    const api = fakeApi();
    api.post.mockRejectedValueOnce(new Error('409 busy'));
    const store = createScenariosStore(api);
    await store.getState().run({ all: true });
    expect(store.getState().error).toMatch(/409 busy/);
  });
});

describe('ScenariosView', () => {
  it('lists scenarios by category with run buttons, and each result with expected vs actual and its recording', async () => {
    const api = fakeApi();
    // Server rendering reads the store's initial state.
    const store = createScenariosStore(api, { catalogue, results: { a: failed } });
    const html = renderToStaticMarkup(
      <ScenariosView labApi={api} onOpenRecording={() => undefined} store={store} />,
    );
    expect(html).toContain('Run all 3');
    expect(html.indexOf('PKCE')).toBeLessThan(html.indexOf('Pushed authorization requests'));
    expect(html.match(/Run category/g)).toHaveLength(2);
    expect(html).toContain('expected 400 invalid_grant');
    expect(html).toContain('actual 200');
    expect(html).toContain('Open recording');
    expect(html).toContain('0 passed, 1 failed, 0 skipped');
  });
});
