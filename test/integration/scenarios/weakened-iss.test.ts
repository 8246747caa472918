import { beforeAll, describe, expect, it, vi } from 'vitest';
import { builtInScenarios } from '../../../src/scenarios/catalogue';
import { selectScenarios } from '../../../src/scenarios/select';
import type { ScenarioResult } from '../../../src/scenarios/types';
import { runOnScenarioLab } from '../../support/scenario-lab';

// A provider whose authorization responses carry no iss (RFC 9207 §2 broken): the scenarios that
// read an error response at the redirect_uri must notice, though the error itself is right.
vi.mock('../../../src/server/domain/redirect-uri', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/server/domain/redirect-uri')>();
  return {
    ...original,
    withQuery: (uri: string, params: Readonly<Record<string, string | undefined>>) =>
      original.withQuery(uri, { ...params, iss: undefined }),
  };
});

describe('scenarios against a provider whose authorization responses leave out iss', () => {
  let results: ScenarioResult[];
  const broken = ['authorize-prompt-none-without-session', 'consent-denied'];

  beforeAll(async () => {
    results = await runOnScenarioLab(selectScenarios(builtInScenarios, { ids: broken }));
  }, 60_000);

  it('fails them for the missing iss, with the right error at the redirect_uri', () => {
    for (const id of broken) {
      const result = results.find((r) => r.id === id);
      expect(result, id).toMatchObject({ outcome: 'fail' });
      expect(result?.actual?.problems, id).toEqual(['iss is null, not the issuer (RFC 9207 §2)']);
    }
    expect(results.find((r) => r.id === 'consent-denied')?.actual?.error).toBe('access_denied');
    expect(results.find((r) => r.id === 'authorize-prompt-none-without-session')?.actual?.error).toBe(
      'login_required',
    );
  });
});
