import { describe, expect, it } from 'vitest';
import { isScopeSyntax, parseScope } from '../../../src/server/domain/scope';

describe('scope syntax (RFC 6749 §3.3)', () => {
  it('accepts scope tokens separated by single spaces', () => {
    for (const scope of ['openid', 'openid profile email', 'urn:x:read https://api.example/ro', '!#[]~']) {
      expect(isScopeSyntax(scope), scope).toBe(true);
    }
  });

  it('refuses empty tokens, other separators and characters outside NQCHAR', () => {
    for (const scope of [
      ' ',
      '',
      'openid ',
      ' openid',
      'openid  profile',
      'openid\tprofile',
      'a"b',
      'a\\b',
      'café',
    ]) {
      expect(isScopeSyntax(scope), JSON.stringify(scope)).toBe(false);
    }
  });

  it('parses tokens once each, in order', () => {
    expect(parseScope('openid profile openid')).toEqual(['openid', 'profile']);
    expect(parseScope(undefined)).toEqual([]);
  });
});
