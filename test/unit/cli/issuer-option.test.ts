import { describe, expect, it } from 'vitest';
import { parseIssuerIdentifier } from '../../../src/cli/commands/issuer-option';

describe('parseIssuerIdentifier (serve --issuer)', () => {
  it.each(['https://lab.example', 'http://192.168.1.10:8080', 'http://localhost:8080', 'https://[::1]:8443'])(
    'takes the origin %s as it is',
    (value) => {
      expect(parseIssuerIdentifier(value)).toBe(value);
    },
  );
  it.each([
    ['lab.example', /absolute URL/],
    ['', /absolute URL/],
    ['ftp://lab.example', /http or https/],
    ['https://lab.example/', /origin exactly .*\(https:\/\/lab\.example\)/],
    ['https://lab.example/oidc', /no path/],
    ['https://lab.example?x=1', /query/],
    ['https://lab.example#top', /fragment/],
    ['https://user:pw@lab.example', /credentials/],
    ['https://Lab.Example', /lower case/],
    ['https://lab.example:443', /default port/],
  ])('refuses %s', (value, message) => {
    expect(() => parseIssuerIdentifier(value)).toThrow(message);
  });
});
