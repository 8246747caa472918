import type { ScenarioCategory, ScenarioInfo, ScenarioResult } from '../../scenarios/types';
import { scenarioCategories } from '../../scenarios/types';
import { describeExpected, describeObservation } from '../../scenarios/compare';

/** Labels of the catalogue's categories, in catalogue order. */
export const categoryLabels: Record<ScenarioCategory, string> = {
  discovery: 'Discovery',
  pkce: 'PKCE',
  par: 'Pushed authorization requests',
  'client-authentication': 'Client authentication',
  'dpop-token-endpoint': 'DPoP at the token endpoint',
  'dpop-resource': 'DPoP at the resource',
  'authorization-code': 'Authorization codes',
  'refresh-and-revocation': 'Refresh and revocation',
  logout: 'Logout',
  'hostile-input': 'Hostile input',
};

export interface CategoryGroup {
  category: ScenarioCategory;
  label: string;
  scenarios: ScenarioInfo[];
}

/** The catalogue grouped by category, in catalogue order; empty categories left out. */
export function groupByCategory(catalogue: readonly ScenarioInfo[]): CategoryGroup[] {
  return scenarioCategories
    .map((category) => ({
      category,
      label: categoryLabels[category],
      scenarios: catalogue.filter((s) => s.category === category),
    }))
    .filter((group) => group.scenarios.length > 0);
}

/** What a result row shows: the verdict, expected vs actual, and the recording to open. */
export interface ResultView {
  outcome: ScenarioResult['outcome'];
  mark: string;
  expected: string;
  actual: string;
  reason?: string;
  recordingId?: string;
  durationMs: number;
}

const marks = { pass: '✓', fail: '✗', skip: '–' } as const;

export function resultView(result: ScenarioResult): ResultView {
  return {
    outcome: result.outcome,
    mark: marks[result.outcome],
    expected: describeExpected(result.expected),
    actual: result.outcome === 'skip' ? 'not run' : describeObservation(result.actual),
    ...(result.reason ? { reason: result.reason } : {}),
    ...(result.recordingId ? { recordingId: result.recordingId } : {}),
    durationMs: result.durationMs,
  };
}

/** Counts for a group's header: `3 ✓ 1 ✗`. */
export function tally(results: readonly (ScenarioResult | undefined)[]): {
  pass: number;
  fail: number;
  skip: number;
} {
  const count = { pass: 0, fail: 0, skip: 0 };
  for (const result of results) if (result) count[result.outcome]++;
  return count;
}
