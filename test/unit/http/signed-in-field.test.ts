import { describe, expect, it } from 'vitest';
import { parseSignedInField, signedInFieldValue } from '../../../src/server/http/signed-in-field';

describe('the consent form field naming the signed-in user', () => {
  it('reads back the user it was written for, a sub with dots included', () => {
    for (const user of [
      { sub: 'alice', authTime: 1_700_000_000 },
      { sub: 'a.b.c', authTime: 0 },
      { sub: ' ünïcode\n', authTime: 42 },
    ]) {
      expect(parseSignedInField(signedInFieldValue(user))).toStrictEqual(user);
    }
  });

  it('reads nothing from a value it did not write', () => {
    for (const value of [undefined, 42, ['1.alice'], '', 'alice', '1.', '.alice', 'x1.alice', '1e3.alice']) {
      expect(parseSignedInField(value)).toBeUndefined();
    }
  });
});
