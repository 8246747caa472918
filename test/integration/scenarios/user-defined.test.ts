import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src/server';
import { runScenarios } from '../../../src/scenarios/runner';
import type { ScenarioTarget } from '../../../src/scenarios/types';
import { parseUserScenarios } from '../../../src/scenarios/user-defined/load';
import { startScenarioLab } from '../../support/scenario-lab';

const file = {
  scenarios: [
    {
      id: 'my-proof-wrong-htm',
      title: 'Resource proof with htm POST',
      category: 'dpop-resource',
      flow: 'fapi2',
      request: 'resource',
      mutations: [{ setProofClaim: { name: 'htm', value: 'POST' } }],
      expected: { status: 401, error: 'invalid_dpop_proof' },
    },
    {
      id: 'my-assertion-array-aud',
      title: 'Token request whose assertion aud is an array',
      flow: 'client_credentials',
      request: 'token',
      mutations: [{ setAssertionClaim: { name: 'aud', value: ['https://elsewhere.example'] } }],
      expected: { status: 401, error: 'invalid_client' },
    },
    {
      id: 'my-code-late',
      title: 'Code redeemed 2 minutes late',
      flow: 'standard',
      request: 'token',
      mutations: [{ advanceClock: 120 }],
      expected: { status: 400, error: 'invalid_grant' },
    },
    {
      id: 'my-no-verifier',
      title: 'Token request without the verifier',
      flow: 'fapi2',
      request: 'token',
      mutations: [{ removeParameter: 'code_verifier' }],
      expected: { status: 400, error: ['invalid_grant', 'invalid_request'] },
    },
    {
      id: 'my-honest-introspection',
      title: 'Introspection with an extra harmless header',
      flow: 'fapi2',
      request: 'introspect',
      mutations: [{ setHeader: { name: 'X-Test', value: '1' } }],
      expected: { success: true },
    },
    {
      id: 'my-wrong-expectation',
      title: 'Deliberately wrong expectation',
      flow: 'standard',
      request: 'authorize',
      mutations: [{ removeParameter: 'code_challenge' }],
      expected: { success: true },
    },
  ],
};

describe('user-defined scenarios against the built-in provider', () => {
  let server: RunningServer;
  let target: ScenarioTarget;

  beforeAll(async () => {
    ({ server, target } = await startScenarioLab());
  });
  afterAll(() => server?.close());

  it('loads a valid file and runs each mutation on the request it names', async () => {
    const scenarios = parseUserScenarios(JSON.stringify(file), 'test.json');
    expect(scenarios.find((s) => s.id === 'my-code-late')?.needsLabClock).toBe(true);
    const results = await runScenarios(scenarios, target);
    const outcomes = Object.fromEntries(results.map((r) => [r.id, r.outcome]));
    expect(outcomes).toEqual({
      'my-proof-wrong-htm': 'pass',
      'my-assertion-array-aud': 'pass',
      'my-code-late': 'pass',
      'my-no-verifier': 'pass',
      'my-honest-introspection': 'pass',
      'my-wrong-expectation': 'fail',
    });
    const wrong = results.find((r) => r.id === 'my-wrong-expectation');
    expect(wrong?.actual).toMatchObject({ error: 'invalid_request' });
  }, 60_000);

  it('puts the lab clock back after a scenario that moved it', async () => {
    const [late] = parseUserScenarios(JSON.stringify({ scenarios: [file.scenarios[2]] }));
    await runScenarios([late!], target);
    const clock = (await (
      await fetch(`${server.labOrigin}/lab/api/clock`, {
        headers: { Authorization: `Bearer ${server.labSecret}` },
      })
    ).json()) as { offsetMs: number };
    expect(clock.offsetMs).toBe(0);
  });

  it('skips clock scenarios when there is no lab', async () => {
    const scenarios = parseUserScenarios(JSON.stringify(file));
    const { lab: _lab, ...withoutLab } = target;
    const results = await runScenarios(
      scenarios.filter((s) => s.id === 'my-code-late'),
      withoutLab,
    );
    expect(results[0]).toMatchObject({ outcome: 'skip', reason: expect.stringContaining('lab') });
    expect(results[0]?.recordingId).toBeUndefined();
  });
});
