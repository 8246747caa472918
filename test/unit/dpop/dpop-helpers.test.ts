import { describe, expect, it } from 'vitest';
import {
  createDpopNonceSource,
  dpopWwwAuthenticate,
  normalizeHtu,
  parseAuthorizationHeader,
} from '../../../src/server/infrastructure/dpop';
import { FakeClock } from './test-doubles';

describe('createDpopNonceSource', () => {
  it('hands out the same nonce within a period and accepts it', () => {
    const clock = new FakeClock(1_000_000);
    const nonces = createDpopNonceSource({ clock, lifetimeSeconds: 60 });
    const nonce = nonces.current();
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(nonces.current()).toBe(nonce);
    expect(nonces.isValid(nonce)).toBe(true);
  });

  it('accepts the previous period nonce, refuses an older one', () => {
    const clock = new FakeClock(0);
    const nonces = createDpopNonceSource({ clock, lifetimeSeconds: 60 });
    const first = nonces.current();
    clock.advance(60);
    expect(nonces.current()).not.toBe(first);
    expect(nonces.isValid(first)).toBe(true);
    clock.advance(60);
    expect(nonces.isValid(first)).toBe(false);
  });

  it('refuses made-up nonces and nonces of another process key', () => {
    const clock = new FakeClock(0);
    const a = createDpopNonceSource({ clock, lifetimeSeconds: 60 });
    const b = createDpopNonceSource({ clock, lifetimeSeconds: 60 });
    expect(a.isValid('')).toBe(false);
    expect(a.isValid('x'.repeat(43))).toBe(false);
    expect(a.isValid(b.current())).toBe(false);
  });
});

describe('normalizeHtu', () => {
  it('drops query and fragment, lower-cases scheme and host, drops the default port', () => {
    expect(normalizeHtu('HTTPS://Example.COM:443/a/b?x=1#f')).toBe('https://example.com/a/b');
    expect(normalizeHtu('http://example.com:80')).toBe('http://example.com/');
  });

  it('keeps a non-default port and the path case', () => {
    expect(normalizeHtu('http://127.0.0.1:8080/Token')).toBe('http://127.0.0.1:8080/Token');
  });

  it('decodes unreserved percent-encodings and upper-cases the others', () => {
    expect(normalizeHtu('https://e.com/%7euser/%2fx')).toBe('https://e.com/~user/%2Fx');
  });

  it('keeps a user-info part, which no normalisation removes (RFC 3986 §6.2.2)', () => {
    expect(normalizeHtu('http://u:p@127.0.0.1:8080/token')).not.toBe(
      normalizeHtu('http://127.0.0.1:8080/token'),
    );
    expect(normalizeHtu('http://u@127.0.0.1:8080/token')).not.toBe(
      normalizeHtu('http://127.0.0.1:8080/token'),
    );
  });

  it('refuses relative and non-http URIs', () => {
    expect(normalizeHtu('/token')).toBeUndefined();
    expect(normalizeHtu('urn:x:y')).toBeUndefined();
  });
});

describe('dpopWwwAuthenticate', () => {
  it('names the error, its description and the algorithms', () => {
    expect(dpopWwwAuthenticate('invalid_token', 'expired', ['ES256', 'EdDSA'])).toBe(
      'DPoP error="invalid_token", error_description="expired", algs="ES256 EdDSA"',
    );
  });

  it('gives only algs when there is no error', () => {
    expect(dpopWwwAuthenticate(undefined, undefined, ['PS256'])).toBe('DPoP algs="PS256"');
  });

  it('never lets a description break out of its quoted string', () => {
    const header = dpopWwwAuthenticate('invalid_dpop_proof', 'a "quoted" \\ é\r\nX: y', ['ES256']);
    expect(header).toBe(
      'DPoP error="invalid_dpop_proof", error_description="a \'quoted\' \' ???X: y", algs="ES256"',
    );
  });
});

describe('parseAuthorizationHeader', () => {
  it('reads DPoP and Bearer, case-insensitively', () => {
    expect(parseAuthorizationHeader('DPoP abc.def-ghi')).toEqual({ scheme: 'dpop', token: 'abc.def-ghi' });
    expect(parseAuthorizationHeader('dpop abc')).toEqual({ scheme: 'dpop', token: 'abc' });
    expect(parseAuthorizationHeader('BEARER a+b/c==')).toEqual({ scheme: 'bearer', token: 'a+b/c==' });
    expect(parseAuthorizationHeader(' BEARER x ')).toEqual({ scheme: 'bearer', token: 'x' });
  });

  it('names the scheme of a malformed DPoP or Bearer header, with no token', () => {
    for (const header of ['DPoP', 'DPoP a b', 'DPoP a"b', 'dpop a b']) {
      expect(parseAuthorizationHeader(header), header).toEqual({ scheme: 'dpop', token: undefined });
    }
    expect(parseAuthorizationHeader('Bearer')).toEqual({ scheme: 'bearer', token: undefined });
  });

  it('reads nothing from another scheme, a longer word, no header or repeated headers (RFC 6750 §3.1)', () => {
    expect(parseAuthorizationHeader(undefined)).toBeUndefined();
    expect(parseAuthorizationHeader('Basic YTpi')).toBeUndefined();
    expect(parseAuthorizationHeader('Bearerx abc')).toBeUndefined();
    expect(parseAuthorizationHeader('DPoPs abc')).toBeUndefined();
    expect(parseAuthorizationHeader(['DPoP a', 'DPoP b'])).toBeUndefined();
  });
});
