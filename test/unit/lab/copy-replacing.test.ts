import { describe, expect, it } from 'vitest';
import { copyReplacing } from '../../../src/server/lab/copy-replacing';
import { makeExchange } from './helpers';

describe('copyReplacing', () => {
  it('is { ...source, ...replace }: same members, same order, the source untouched', () => {
    const source = makeExchange({ requestBody: 'a=1', responseBody: '{"b":2}' });
    const before = JSON.stringify(source);
    for (const replace of [
      {},
      { checks: [1, 2] },
      { requestBody: undefined, responseBody: undefined, bodies: [3, 7] },
      { added: true, label: 'other' },
    ]) {
      const copy = copyReplacing(source, replace);
      expect(copy).toEqual({ ...source, ...replace });
      expect(Object.keys(copy)).toEqual(Object.keys({ ...source, ...replace }));
      expect(JSON.stringify(copy)).toBe(JSON.stringify({ ...source, ...replace }));
    }
    expect(JSON.stringify(source)).toBe(before);
  });
});
