import { describe, expect, it } from 'vitest';
import { formatBody, maybeMask, queryFields } from '../../../src/renderer/model/body-format';

describe('body formatting', () => {
  it('pretty-prints JSON', () => {
    const b = formatBody('{"a":1}', { 'Content-Type': 'application/json; charset=utf-8' });
    expect(b).toEqual({ kind: 'json', text: '{\n  "a": 1\n}', value: { a: 1 } });
  });

  it('shows form bodies as a table of decoded fields', () => {
    const b = formatBody(
      'grant_type=authorization_code&redirect_uri=http%3A%2F%2Fx%2Fcb&scope=openid+profile',
      {
        'content-type': 'application/x-www-form-urlencoded',
      },
    );
    expect(b).toEqual({
      kind: 'form',
      fields: [
        ['grant_type', 'authorization_code'],
        ['redirect_uri', 'http://x/cb'],
        ['scope', 'openid profile'],
      ],
    });
  });

  it('falls back to text, and to empty for no body', () => {
    expect(formatBody('<html>', { 'content-type': 'text/html' })).toEqual({ kind: 'text', text: '<html>' });
    expect(formatBody('{broken', { 'content-type': 'application/json' })).toEqual({
      kind: 'text',
      text: '{broken',
    });
    expect(formatBody(null, {})).toEqual({ kind: 'empty' });
  });

  it('lists query parameters', () => {
    expect(queryFields('http://as/authorize?client_id=c&request_uri=urn%3Ax')).toEqual([
      ['client_id', 'c'],
      ['request_uri', 'urn:x'],
    ]);
  });

  it('masks secrets only when asked', () => {
    expect(maybeMask('client_secret', 'supersecretvalue', true)).toBe('supers••••••••');
    expect(maybeMask('client_secret', 'supersecretvalue', false)).toBe('supersecretvalue');
    expect(maybeMask('scope', 'openid', true)).toBe('openid');
    expect(maybeMask('Authorization', 'DPoP x', true)).toBe('••••••••');
  });
});
