import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../../src/server';
import { JournaledReplayCache } from '../../../src/server/infrastructure/replay-cache/journaled-replay-cache';
import { builtInScenarios } from '../../../src/scenarios/catalogue';
import { runScenarios } from '../../../src/scenarios/runner';
import { selectScenarios } from '../../../src/scenarios/select';
import type { ScenarioResult } from '../../../src/scenarios/types';
import { startScenarioLab } from '../../support/scenario-lab';

/** A provider whose replay cache forgets everything: the replay scenarios must notice. */
describe('scenarios against a provider with a broken replay cache', () => {
  let server: RunningServer;
  let results: ScenarioResult[];
  const replayIds = ['client-assertion-jti-reused', 'dpop-token-jti-reused', 'dpop-resource-jti-reused'];

  beforeAll(async () => {
    vi.spyOn(JournaledReplayCache.prototype, 'remember').mockReturnValue('new');
    const lab = await startScenarioLab();
    server = lab.server;
    const target = lab.target;
    const scenarios = selectScenarios(builtInScenarios, {
      ids: [...replayIds, 'dpop-resource-wrong-htm', 'client-assertion-expired'],
    });
    results = await runScenarios(scenarios, target);
  }, 60_000);
  afterAll(async () => {
    vi.restoreAllMocks();
    await server?.close();
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
