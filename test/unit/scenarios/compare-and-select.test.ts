import { describe, expect, it } from 'vitest';
import { builtInScenarios } from '../../../src/scenarios/catalogue';
import { describeExpected, meetsExpectation } from '../../../src/scenarios/compare';
import { matchesGlob, selectScenarios } from '../../../src/scenarios/select';
import { scenarioCategories } from '../../../src/scenarios/types';

describe('meetsExpectation', () => {
  const expected = { status: [400, 401], error: ['invalid_client', 'invalid_request'] } as const;
  it('accepts any of the listed statuses and errors', () => {
    expect(meetsExpectation(expected, { status: 401, error: 'invalid_client' }).ok).toBe(true);
    expect(meetsExpectation(expected, { status: 400, error: 'invalid_request' }).ok).toBe(true);
  });
  it('refuses another status, another error, no error, or any problem', () => {
    expect(meetsExpectation(expected, { status: 403, error: 'invalid_client' }).ok).toBe(false);
    expect(meetsExpectation(expected, { status: 401, error: 'invalid_grant' }).ok).toBe(false);
    expect(meetsExpectation(expected, { status: 401 }).ok).toBe(false);
    expect(meetsExpectation(expected, { status: 401, error: 'invalid_client', problems: ['leak'] })).toEqual({
      ok: false,
      reason: 'leak',
    });
  });
  it('treats success as a 2xx/3xx without error, or the exact status given', () => {
    expect(meetsExpectation({ success: true }, { status: 201 }).ok).toBe(true);
    expect(meetsExpectation({ success: true }, { status: 303, error: 'access_denied' }).ok).toBe(false);
    expect(meetsExpectation({ success: true }, { status: 400 }).ok).toBe(false);
    expect(meetsExpectation({ success: true, status: 200 }, { status: 201 }).ok).toBe(false);
    expect(meetsExpectation({ success: true }, { status: null }).ok).toBe(false);
  });
  it('describes expectations for people', () => {
    expect(describeExpected(expected)).toBe('400|401 invalid_client|invalid_request');
    expect(describeExpected({ success: true })).toBe('success');
  });
});

describe('selectScenarios', () => {
  it('matches ids and categories, comma-separated, with * wildcards', () => {
    const ids = (only: string) => selectScenarios(builtInScenarios, { only }).map((s) => s.id);
    expect(ids('code-reused')).toEqual(['code-reused']);
    expect(ids('logout')).toEqual([
      'logout-unregistered-post-logout-redirect-uri',
      'logout-consent-page-left-open',
      'logout-consent-after-another-login',
    ]);
    expect(ids('dpop-resource-*').every((id) => id.startsWith('dpop-resource-'))).toBe(true);
    expect(ids('code-reused,pkce-wrong-verifier')).toEqual(['pkce-wrong-verifier', 'code-reused']);
    expect(ids('nothing-like-this')).toEqual([]);
    expect(ids('code.reused')).toEqual([]);
  });

  it('matches * globs without backtracking, however many stars', () => {
    expect(matchesGlob('*', '')).toBe(true);
    expect(matchesGlob('a*c', 'abbbc')).toBe(true);
    expect(matchesGlob('a*c', 'abbbd')).toBe(false);
    expect(matchesGlob('*-*-*', 'dpop-token-typ')).toBe(true);
    expect(matchesGlob('**dpop**typ**', 'dpop-token-typ')).toBe(true);
    expect(matchesGlob('dpop-*-typ', 'dpop-token-alg')).toBe(false);
    expect(matchesGlob('a*', 'b')).toBe(false);
    // As a regular expression (^.*.*…!$), 16 stars ran for minutes against one id.
    expect(selectScenarios(builtInScenarios, { only: `${'*'.repeat(64)}!` })).toEqual([]);
    expect(selectScenarios(builtInScenarios, { only: `${'*a'.repeat(32)}!` })).toEqual([]);
  });
});

describe('the built-in catalogue', () => {
  it('covers every category and says, for each scenario, what, why and by which clause', () => {
    expect(new Set(builtInScenarios.map((s) => s.category))).toEqual(new Set(scenarioCategories));
    for (const s of builtInScenarios) {
      expect(s.title && s.description && s.clause && s.teaching, s.id).toBeTruthy();
    }
    expect(
      builtInScenarios
        .filter((s) => s.needsLabClock)
        .map((s) => s.id)
        .sort(),
    ).toEqual(['code-expired', 'par-request-uri-expired']);
  });
});
