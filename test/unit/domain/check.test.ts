import { describe, expect, it } from 'vitest';
import {
  skipCheck,
  verify,
  verifyWork,
  withCheckObserver,
  type CheckResult,
} from '../../../src/server/domain/check';
import { invalidRequest } from '../../../src/server/domain/oauth-error';

const spec = { id: 'test.rule', description: 'The rule holds', ref: 'RFC 0000 §1' };
const other = { id: 'test.other', description: 'Another rule holds', ref: 'RFC 0000 §2' };

const observed = (fn: () => void): CheckResult[] => {
  const results: CheckResult[] = [];
  withCheckObserver({ record: (r) => results.push(r) }, fn);
  return results;
};

describe('check outcomes', () => {
  it('report every pass of a spec as one frozen result, shared by every request', () => {
    const first = observed(() => {
      verify(spec, true, () => invalidRequest('never'));
      verifyWork(other, () => 1);
    });
    const second = observed(() => verify(spec, true, () => invalidRequest('never')));
    expect(first).toEqual([
      { ...spec, outcome: 'passed' },
      { ...other, outcome: 'passed' },
    ]);
    expect(second[0]).toBe(first[0]);
    expect(Object.isFrozen(first[0])).toBe(true);
    expect(first[1]).not.toBe(first[0]);
  });

  it('report failures and skips as results of their own, with their detail', () => {
    const results = observed(() => {
      skipCheck(spec, 'not this time');
      expect(() => verify(spec, false, () => invalidRequest('it does not hold'))).toThrow('it does not hold');
    });
    expect(results).toEqual([
      { ...spec, outcome: 'skipped', detail: 'not this time' },
      {
        ...spec,
        outcome: 'failed',
        detail: 'it does not hold',
        error: { error: 'invalid_request', error_description: 'it does not hold', status: 400 },
      },
    ]);
    expect(Object.isFrozen(results[0])).toBe(false);
  });

  it('make nothing when nobody observes', () => {
    expect(() => verify(spec, true, () => invalidRequest('never'))).not.toThrow();
    expect(() => verify(spec, false, () => invalidRequest('broken'))).toThrow('broken');
  });
});
