import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src/server';
import { builtInScenarios } from '../../../src/scenarios/catalogue';
import { runScenarios } from '../../../src/scenarios/runner';
import type { ScenarioResult } from '../../../src/scenarios/types';
import { demoConfigObject, labConfig } from '../../support/lab-server';
import { startScenarioLab } from '../../support/scenario-lab';

/**
 * A provider that demands its own DPoP nonces (RFC 9449 §8, `dpop_nonce_required`): the library
 * answers `use_dpop_nonce` as a client does, one more request with the nonce in its proofs and a new
 * client assertion, so every scenario still tests what it is about. Without that, 34 of the 84 ended
 * on the nonce demand ("expected 400 invalid_dpop_proof, got 400 use_dpop_nonce", or a setup step
 * refused).
 */
describe('the built-in scenario library against a provider that requires DPoP nonces', () => {
  let server: RunningServer;
  let results: ScenarioResult[];

  beforeAll(async () => {
    const config = demoConfigObject() as { server: Record<string, unknown> };
    config.server.dpop_nonce_required = true;
    const lab = await startScenarioLab(
      [
        { username: 'alice', password: 'wonderland' },
        { username: 'bob', password: 'builder' },
      ],
      labConfig(config),
    );
    server = lab.server;
    results = await runScenarios(builtInScenarios, lab.target);
  }, 120_000);
  afterAll(() => server?.close());

  it('every scenario meets what the specs require', () => {
    const failures = results
      .filter((r) => r.outcome !== 'pass')
      .map((r) => `${r.id}: ${r.outcome} ${r.reason ?? ''}`);
    expect(failures).toEqual([]);
    expect(results).toHaveLength(builtInScenarios.length);
  });
});
