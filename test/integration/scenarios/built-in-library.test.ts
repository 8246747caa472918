import { beforeAll, describe, expect, it } from 'vitest';
import { builtInScenarios } from '../../../src/scenarios/catalogue';
import { summarize } from '../../../src/scenarios/runner';
import type { ScenarioResult } from '../../../src/scenarios/types';
import { runOnScenarioLab } from '../../support/scenario-lab';

const users = [
  { username: 'alice', password: 'wonderland' },
  { username: 'bob', password: 'builder' },
];

describe('the built-in scenario library against the built-in provider', () => {
  let results: ScenarioResult[];

  beforeAll(async () => {
    results = await runOnScenarioLab(builtInScenarios, users);
  }, 120_000);

  it('has at least 40 scenarios with unique kebab-case ids', () => {
    expect(builtInScenarios.length).toBeGreaterThanOrEqual(40);
    const ids = builtInScenarios.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('every scenario meets what the specs require', () => {
    const failures = results
      .filter((r) => r.outcome !== 'pass')
      .map((r) => `${r.id}: ${r.outcome} ${r.reason ?? ''}`);
    expect(failures).toEqual([]);
    expect(summarize(results)).toEqual({ passed: builtInScenarios.length, failed: 0, skipped: 0 });
  });

  it('runs each scenario in its own lab recording', () => {
    const ids = results.map((r) => r.recordingId);
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
