import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JournaledReplayCache } from '../../../src/server/infrastructure/replay-cache/journaled-replay-cache';
import { builtInScenarios } from '../../../src/scenarios/catalogue';
import { selectScenarios } from '../../../src/scenarios/select';
import type { ScenarioResult } from '../../../src/scenarios/types';
import { runOnScenarioLab } from '../../support/scenario-lab';

/** A provider whose replay cache forgets everything: the replay scenarios must notice. */
describe('scenarios against a provider with a broken replay cache', () => {
  let results: ScenarioResult[];
  const replayIds = ['client-assertion-jti-reused', 'dpop-token-jti-reused', 'dpop-resource-jti-reused'];

  beforeAll(async () => {
    vi.spyOn(JournaledReplayCache.prototype, 'remember').mockReturnValue('new');
    const scenarios = selectScenarios(builtInScenarios, {
      ids: [...replayIds, 'dpop-resource-wrong-htm', 'client-assertion-expired'],
    });
    results = await runOnScenarioLab(scenarios);
  }, 60_000);
  afterAll(() => {
    vi.restoreAllMocks();
  });

  it('fails the DPoP-replay and assertion-replay scenarios', () => {
    for (const id of replayIds) {
      const result = results.find((r) => r.id === id);
      expect(result, id).toMatchObject({ outcome: 'fail' });
      expect(result?.actual?.status).toBeLessThan(300);
    }
  });

  it('still passes the scenarios that do not depend on replay detection', () => {
    expect(results.find((r) => r.id === 'dpop-resource-wrong-htm')?.outcome).toBe('pass');
    expect(results.find((r) => r.id === 'client-assertion-expired')?.outcome).toBe('pass');
  });
});
