import type { Expected, Observation } from './types';

const oneOf = <T>(accepted: T | readonly T[], value: T): boolean =>
  Array.isArray(accepted) ? (accepted as readonly T[]).includes(value) : accepted === value;

const list = (value: number | string | readonly (number | string)[]): string =>
  Array.isArray(value) ? value.join('|') : String(value);

/** The expectation in words: `400 invalid_grant`, `401 invalid_dpop_proof|invalid_token`, `success`. */
export function describeExpected(expected: Expected): string {
  if ('success' in expected)
    return expected.status === undefined ? 'success' : `success (${expected.status})`;
  return `${list(expected.status)} ${list(expected.error)}`;
}

export function describeObservation(observation: Observation | undefined): string {
  if (!observation) return 'nothing';
  const answer = `${observation.status ?? 'no answer'}${observation.error ? ` ${observation.error}` : ''}`;
  return observation.problems?.length ? `${answer} (${observation.problems.join('; ')})` : answer;
}

/** Whether the provider did what the specs require; the reason when it did not. */
export function meetsExpectation(
  expected: Expected,
  observation: Observation,
): { ok: boolean; reason?: string } {
  const problems = observation.problems ?? [];
  if (problems.length > 0) return { ok: false, reason: problems.join('; ') };
  const status = observation.status;
  if ('success' in expected) {
    const ok =
      status !== null &&
      observation.error === undefined &&
      (expected.status === undefined ? status >= 200 && status < 400 : status === expected.status);
    return ok
      ? { ok }
      : { ok, reason: `expected ${describeExpected(expected)}, got ${describeObservation(observation)}` };
  }
  const ok =
    status !== null &&
    oneOf(expected.status, status) &&
    observation.error !== undefined &&
    oneOf(expected.error, observation.error);
  return ok
    ? { ok }
    : { ok, reason: `expected ${describeExpected(expected)}, got ${describeObservation(observation)}` };
}
