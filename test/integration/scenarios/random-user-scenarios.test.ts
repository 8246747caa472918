import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src/server';
import { runScenarios } from '../../../src/scenarios/runner';
import { stagesOfFlow } from '../../../src/scenarios/user-defined/schema';
import type { ScenarioTarget } from '../../../src/scenarios/types';
import { parseUserScenarios, UserScenarioFileError } from '../../../src/scenarios/user-defined/load';
import { startScenarioLab } from '../../support/scenario-lab';
import { seeded } from '../../support/seeded-random';

/**
 * User-defined scenario files drawn at random from a seed (docs/scenarios.md): each file is refused
 * with its problems, or its scenario plays and ends on the provider's answer. A scenario that ends as
 * "could not run" means the file's validation let through a request the client cannot send (a header
 * value with a NUL did, until the format refused it).
 */
const random = seeded(20261129);
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;

/** Values of every JSON type, and strings HTTP, JSON or the JOSE libraries find awkward. */
const oddValue = (): unknown =>
  pick<unknown>([
    null,
    true,
    0,
    -1,
    1e308,
    1.5,
    '',
    'x'.repeat(5000),
    '\u0000\ud800',
    'a\r\nInjected: 1',
    '\u20ac',
    [],
    [1, 'a', null],
    {},
    { a: { b: [] } },
    'POST',
    'http://127.0.0.1:1/x',
    4_102_444_800,
    ['aud'],
    'none',
    { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'BBBB' },
    'ES256',
    'RS256',
    'dpop+jwt',
    'a b',
    '%00',
  ]);

/** Parameter, header, claim and header-member names, and a few that are none of these. */
const names = [
  ...['htm', 'htu', 'iat', 'jti', 'ath', 'nonce', 'aud', 'exp', 'nbf', 'iss', 'sub', 'typ', 'alg', 'jwk'],
  ...['code', 'code_verifier', 'client_id', 'grant_type', 'redirect_uri', 'scope', 'request_uri'],
  ...['client_assertion', 'refresh_token', 'token', 'DPoP', 'Authorization', 'Content-Type', 'Host'],
  ...['Cookie', 'X Test', 'x:y', ''],
];

const text = (): unknown => (random() < 0.8 ? String(oddValue()) : oddValue());

const mutation = (): unknown => {
  const name = random() < 0.9 ? pick(names) : oddValue();
  return pick<() => unknown>([
    () => ({ setParameter: { name, value: text() } }),
    () => ({ removeParameter: name }),
    () => ({ setHeader: { name, value: text() } }),
    () => ({ removeHeader: name }),
    () => ({ setProofClaim: { name, value: oddValue() } }),
    () => ({ setProofHeader: { name, value: oddValue() } }),
    () => ({ setAssertionClaim: { name, value: oddValue() } }),
    () => ({ advanceClock: pick([1, 61, 3600, -5, 0, 0.5, 'x']) }),
  ])();
};

const randomScenario = (n: number): unknown => {
  const flow = pick(Object.keys(stagesOfFlow) as (keyof typeof stagesOfFlow)[]);
  return {
    id: `random-${n}`,
    title: `Random ${n}`,
    flow,
    request: pick(stagesOfFlow[flow]),
    mutations: Array.from({ length: 1 + Math.floor(random() * 3) }, mutation),
    expected: pick([{ success: true }, { status: 400, error: 'invalid_request' }]),
  };
};

describe('user-defined scenario files drawn at random', () => {
  let server: RunningServer;
  let target: ScenarioTarget;

  beforeAll(async () => {
    ({ server, target } = await startScenarioLab());
  });
  afterAll(() => server?.close());

  it('are refused with their problems, or play to the provider answer (never "could not run", never a 5xx)', async () => {
    const accepted = [];
    for (let n = 0; n < 200; n++) {
      try {
        accepted.push(
          ...parseUserScenarios(JSON.stringify({ scenarios: [randomScenario(n)] }), 'random.json'),
        );
      } catch (e) {
        expect(e).toBeInstanceOf(UserScenarioFileError);
      }
    }
    // Enough of them get through to exercise every flow (the draw is fixed: this is not luck).
    expect(accepted.length).toBeGreaterThan(25);
    const results = await runScenarios(accepted, target);
    const broken = results.filter(
      (r) => r.reason?.startsWith('the scenario could not run') || (r.actual?.status ?? 0) >= 500,
    );
    expect(broken.map((r) => [r.id, r.reason])).toEqual([]);
    expect(results.every((r) => r.outcome === 'pass' || r.outcome === 'fail')).toBe(true);
  }, 120_000);
});
