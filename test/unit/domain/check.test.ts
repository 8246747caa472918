import { setImmediate as nextTurn } from 'node:timers/promises';
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

  it('report failures as results of their own, with their detail', () => {
    const fail = () => verify(spec, false, () => invalidRequest('it does not hold'));
    const results = observed(() => {
      expect(fail).toThrow('it does not hold');
      expect(fail).toThrow('it does not hold');
    });
    expect(results[0]).toEqual({
      ...spec,
      outcome: 'failed',
      detail: 'it does not hold',
      error: { error: 'invalid_request', error_description: 'it does not hold', status: 400 },
    });
    expect(results[1]).toEqual(results[0]);
    expect(results[1]).not.toBe(results[0]);
    expect(Object.isFrozen(results[0])).toBe(false);
  });

  it('report a skip for a reason given before as the same frozen result, for a few reasons per spec', () => {
    const skipped = (reason: string) => observed(() => skipCheck(spec, reason))[0];
    const first = skipped('not this time');
    expect(first).toEqual({ ...spec, outcome: 'skipped', detail: 'not this time' });
    expect(Object.isFrozen(first)).toBe(true);
    expect(skipped('not this time')).toBe(first);
    expect(skipped('another reason')).not.toBe(first);
    expect(observed(() => skipCheck(other, 'not this time'))[0]).toEqual({
      ...other,
      outcome: 'skipped',
      detail: 'not this time',
    });
    // Reasons that name values would be endless: past eight per spec, each skip is its own result.
    for (let i = 0; i < 6; i++) skipped(`reason ${i}`);
    const late = skipped('the ninth reason');
    expect(late).toEqual({ ...spec, outcome: 'skipped', detail: 'the ninth reason' });
    expect(skipped('the ninth reason')).not.toBe(late);
    expect(Object.isFrozen(late)).toBe(false);
  });

  it('make nothing when nobody observes', () => {
    expect(() => verify(spec, true, () => invalidRequest('never'))).not.toThrow();
    expect(() => verify(spec, false, () => invalidRequest('broken'))).toThrow('broken');
  });
});

describe('the observer of a request', () => {
  const pass = () => verify(spec, true, () => invalidRequest('never'));
  const recorder = (name: string, into: string[]) => ({ record: () => void into.push(name) });

  it('is the one of its own context, across awaits and requests interleaved', async () => {
    const seen: string[] = [];
    const request = (name: string) =>
      withCheckObserver(recorder(name, seen), async () => {
        pass();
        await nextTurn();
        pass();
        await Promise.resolve();
        pass();
      });
    await Promise.all([request('a'), request('b'), request('c')]);
    expect(seen.filter((n) => n === 'a')).toHaveLength(3);
    expect(seen.filter((n) => n === 'b')).toHaveLength(3);
    expect(seen.filter((n) => n === 'c')).toHaveLength(3);
    expect(seen.slice(0, 3)).toEqual(['a', 'b', 'c']); // each reported before its first await
  });

  it('changes inside one synchronous stretch: a nested request, and none once it has returned', () => {
    const seen: string[] = [];
    withCheckObserver(recorder('outer', seen), () => {
      pass();
      withCheckObserver(recorder('inner', seen), pass);
      pass(); // the same async context as the inner run: the outer observer again
    });
    pass(); // after the run, in the same context still: nobody observes
    expect(seen).toEqual(['outer', 'inner', 'outer']);
  });

  it('is found for a callback the request scheduled, whatever was asked in between', async () => {
    const seen: string[] = [];
    let later: Promise<void> | undefined;
    withCheckObserver(recorder('scheduled', seen), () => {
      later = new Promise<void>((resolve) =>
        setTimeout(() => {
          pass();
          resolve();
        }, 1),
      );
    });
    withCheckObserver(recorder('other', seen), pass);
    await later;
    expect(seen).toEqual(['other', 'scheduled']);
  });
});
