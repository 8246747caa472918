import { createStore, type StoreApi } from 'zustand/vanilla';
import { LAB_API_PREFIX } from '../../common/lab-api';
import type { ScenarioCategory, ScenarioInfo, ScenarioResult } from '../../scenarios/types';

/** The two calls the view needs of the lab API; paths are full lab API paths. */
export interface ScenariosLabApi {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

export const scenariosApiPaths = {
  catalogue: `${LAB_API_PREFIX}/scenarios`,
  run: `${LAB_API_PREFIX}/scenarios/run`,
} as const;

/** What is running: everything, a category, or one scenario. */
export type RunScope = { all: true } | { category: ScenarioCategory } | { id: string };

export interface ScenariosState {
  catalogue: ScenarioInfo[];
  results: Record<string, ScenarioResult>;
  loading: boolean;
  running: RunScope | null;
  error: string | null;
  load(): Promise<void>;
  run(scope: RunScope): Promise<void>;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** A store per view: the catalogue, the latest result of each scenario, and what is running. */
export function createScenariosStore(
  api: ScenariosLabApi,
  initial: Partial<Pick<ScenariosState, 'catalogue' | 'results'>> = {},
): StoreApi<ScenariosState> {
  return createStore<ScenariosState>((set, get) => ({
    catalogue: initial.catalogue ?? [],
    results: initial.results ?? {},
    loading: false,
    running: null,
    error: null,
    async load() {
      set({ loading: true, error: null });
      try {
        set({ catalogue: await api.get<ScenarioInfo[]>(scenariosApiPaths.catalogue), loading: false });
      } catch (e) {
        set({ loading: false, error: `Could not load the scenarios: ${message(e)}` });
      }
    },
    async run(scope) {
      if (get().running) return; // the lab runs one batch at a time
      set({ running: scope, error: null });
      const body =
        'all' in scope ? {} : 'category' in scope ? { category: scope.category } : { ids: [scope.id] };
      try {
        const { results } = await api.post<{ results: ScenarioResult[] }>(scenariosApiPaths.run, body);
        const merged = { ...get().results };
        for (const result of results) merged[result.id] = result;
        set({ results: merged, running: null });
      } catch (e) {
        set({ running: null, error: `The run failed: ${message(e)}` });
      }
    },
  }));
}

/** Adapts a fetch-style lab API client (`request(path, init)`) to the two calls the view needs. */
export function scenariosApiFrom(client: {
  request(path: string, init?: RequestInit): Promise<Response>;
}): ScenariosLabApi {
  const json = async <T>(response: Promise<Response>): Promise<T> => {
    const r = await response;
    if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
  return {
    get: (path) => json(client.request(path)),
    post: (path, body) =>
      json(
        client.request(path, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        }),
      ),
  };
}
