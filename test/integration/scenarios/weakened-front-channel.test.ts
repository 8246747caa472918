import { beforeAll, describe, expect, it, vi } from 'vitest';
import { builtInScenarios } from '../../../src/scenarios/catalogue';
import { selectScenarios } from '../../../src/scenarios/select';
import type { ScenarioResult } from '../../../src/scenarios/types';
import { runOnScenarioLab } from '../../support/scenario-lab';

// A provider that takes any redirect URI (RFC 6749 §3.1.2.3 broken) and reads past prompt=none
// (OpenID Connect Core §3.1.2.1 broken): the scenarios of these rules must notice.
vi.mock('../../../src/common/redirect-uri-match', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/common/redirect-uri-match')>()),
  isRegisteredRedirectUri: () => true,
}));
vi.mock('../../../src/server/domain/authorization-request', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/server/domain/authorization-request')>();
  return {
    ...original,
    validateAuthorizationParameters: (
      ...args: Parameters<typeof original.validateAuthorizationParameters>
    ) => {
      const request = original.validateAuthorizationParameters(...args);
      return { ...request, prompt: new Set([...request.prompt].filter((value) => value !== 'none')) };
    },
  };
});

describe('scenarios against a provider that takes any redirect_uri and ignores prompt=none', () => {
  let results: ScenarioResult[];
  const broken = ['par-unregistered-redirect-uri', 'authorize-prompt-none-without-session'];

  beforeAll(async () => {
    results = await runOnScenarioLab(
      selectScenarios(builtInScenarios, { ids: [...broken, 'par-without-redirect-uri'] }),
    );
  }, 60_000);

  it('fails the scenarios of the broken rules', () => {
    for (const id of broken)
      expect(
        results.find((r) => r.id === id),
        id,
      ).toMatchObject({ outcome: 'fail' });
    // The pushed request is taken (201); the authorization request goes on to the login page (a
    // redirect that carries no error).
    expect(results.find((r) => r.id === 'par-unregistered-redirect-uri')?.actual?.status).toBe(201);
    const silent = results.find((r) => r.id === 'authorize-prompt-none-without-session')?.actual;
    expect(silent?.status).toBe(303);
    expect(silent?.error).toBeUndefined();
  });

  it('still passes a scenario that does not depend on them', () => {
    expect(results.find((r) => r.id === 'par-without-redirect-uri')?.outcome).toBe('pass');
  });
});
