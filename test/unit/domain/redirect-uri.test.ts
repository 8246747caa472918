import { describe, expect, it } from 'vitest';
import { isRegisteredRedirectUri, withQuery } from '../../../src/server/domain/redirect-uri';

describe('redirect_uri matching (RFC 6749 §3.1.2.3, RFC 8252 §7.3)', () => {
  const registered = ['https://rp.example.com/cb', 'http://127.0.0.1/callback', 'http://[::1]/cb'];

  it('matches registered URIs exactly', () => {
    expect(isRegisteredRedirectUri('https://rp.example.com/cb', registered)).toBe(true);
    expect(isRegisteredRedirectUri('https://rp.example.com/cb/', registered)).toBe(false);
    expect(isRegisteredRedirectUri('https://rp.example.com/cb?x=1', registered)).toBe(false);
    expect(isRegisteredRedirectUri('https://RP.example.com/cb', registered)).toBe(false);
    expect(isRegisteredRedirectUri('https://rp.example.com:8443/cb', registered)).toBe(false);
  });

  it('allows any port on a loopback IP literal, and nothing else may differ', () => {
    expect(isRegisteredRedirectUri('http://127.0.0.1:53123/callback', registered)).toBe(true);
    expect(isRegisteredRedirectUri('http://[::1]:4000/cb', registered)).toBe(true);
    expect(isRegisteredRedirectUri('http://127.0.0.1:53123/other', registered)).toBe(false);
    expect(isRegisteredRedirectUri('http://127.0.0.1:53123/callback?x=1', registered)).toBe(false);
    expect(isRegisteredRedirectUri('https://127.0.0.1:53123/callback', registered)).toBe(false);
    expect(isRegisteredRedirectUri('http://localhost:53123/callback', ['http://localhost/callback'])).toBe(
      false,
    );
    expect(isRegisteredRedirectUri('http://user@127.0.0.1:1/callback', registered)).toBe(false);
    expect(isRegisteredRedirectUri('not a url', registered)).toBe(false);
  });

  it('compares the rest of a loopback URI as a string, not as the place a URL parser finds', () => {
    // Each names 127.0.0.1 and /callback to a WHATWG URL parser; none is the registered string.
    for (const variant of [
      'http://:pw@127.0.0.1/callback',
      'http://0x7f000001/callback',
      'http://2130706433/callback',
      'http://127.1/callback',
      'http://127.0.0.1./callback',
      'HTTP://127.0.0.1/callback',
      'http://127.0.0.1/x/../callback',
      'http://127.0.0.1/%63allback',
      'http://[0:0:0:0:0:0:0:1]/cb',
    ]) {
      expect(isRegisteredRedirectUri(variant, registered), variant).toBe(false);
    }
  });

  it('takes out only a port of 1 to 65535, written without leading zeros', () => {
    expect(isRegisteredRedirectUri('http://127.0.0.1:65535/callback', registered)).toBe(true);
    expect(isRegisteredRedirectUri('http://127.0.0.1:1/callback', registered)).toBe(true);
    expect(isRegisteredRedirectUri('http://127.0.0.1:80/callback', registered)).toBe(true);
    for (const port of ['0080', '0', '65536', '', '1a']) {
      const uri = `http://127.0.0.1:${port}/callback`;
      expect(isRegisteredRedirectUri(uri, registered), uri).toBe(false);
    }
    // A registered URI with a port allows any other (RFC 8252 §7.3).
    expect(isRegisteredRedirectUri('http://127.0.0.1:9/cb', ['http://127.0.0.1:8080/cb'])).toBe(true);
  });

  it('adds response parameters and keeps the URI’s own query', () => {
    expect(withQuery('https://rp.example.com/cb?a=1', { code: 'x y', state: undefined })).toBe(
      'https://rp.example.com/cb?a=1&code=x+y',
    );
  });
});
