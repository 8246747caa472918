import { describe, expect, it } from 'vitest';
import { isUnspecifiedAddress, urlHost } from '../../../src/server/http/listen';

describe('isUnspecifiedAddress', () => {
  it.each(['0.0.0.0', '::', '0:0:0:0:0:0:0:0', '::0', '0::0'])(
    '%s is every interface, no address',
    (host) => {
      expect(isUnspecifiedAddress(host)).toBe(true);
    },
  );
  it.each(['127.0.0.1', '::1', '0.0.0.1', '10.0.0.1', '::ffff:0.0.0.0', 'localhost', '', 'example.com'])(
    '%s is not',
    (host) => {
      expect(isUnspecifiedAddress(host)).toBe(false);
    },
  );
});

describe('urlHost', () => {
  it('brackets an IPv6 literal for a URL, and leaves the rest', () => {
    expect(urlHost('::1')).toBe('[::1]');
    expect(urlHost('127.0.0.1')).toBe('127.0.0.1');
  });
});
