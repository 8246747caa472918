import { describe, expect, it } from 'vitest';
import { MAX_PARAMETER_LENGTH, toParameters } from '../../../src/server/domain/parameters';
import { OAuthError } from '../../../src/server/domain/oauth-error';

describe('request parameters (RFC 6749 §3.1, §3.2)', () => {
  it('keeps single string values and treats empty ones as omitted', () => {
    expect(toParameters({ a: '1', b: '', c: undefined })).toEqual({ a: '1' });
    expect(toParameters(undefined)).toEqual({});
  });

  it('refuses a repeated parameter with invalid_request', () => {
    expect(() => toParameters({ scope: ['openid', 'email'] })).toThrow(OAuthError);
    try {
      toParameters({ scope: ['openid', 'email'] }, true);
    } catch (e) {
      expect(e).toMatchObject({ error: 'invalid_request', status: 400, redirectable: true });
    }
  });

  it('refuses an oversized value', () => {
    expect(() => toParameters({ state: 'x'.repeat(MAX_PARAMETER_LENGTH + 1) })).toThrow(/too long/);
    expect(toParameters({ state: 'x'.repeat(MAX_PARAMETER_LENGTH) }).state).toHaveLength(
      MAX_PARAMETER_LENGTH,
    );
  });
});
