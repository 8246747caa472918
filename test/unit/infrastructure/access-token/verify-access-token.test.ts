import { constants, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyAccessToken } from '../../../../src/server/infrastructure/access-token/verify-access-token';
import { accessTokenClaims } from '../../../support/access-token-fixtures';

const NOW = 1_800_000_000;
// No '.' in either: an unencoded payload (RFC 7797 §5.2) may not hold one in the compact form.
const ISS = 'urn:example:as';
const AUD = 'urn:example:rs';
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keys = (header: { kid?: string }) => (header.kid === 'rsa' ? rsa.publicKey : ec.publicKey);
const b64url = (text: string) => Buffer.from(text).toString('base64url');

const outcome = (token: string, algorithms: string[]): string => {
  try {
    verifyAccessToken(token, {
      keys,
      issuer: ISS,
      audience: AUD,
      clock: { now: () => NOW * 1000 },
      algorithms,
    });
    return 'accepted';
  } catch (e) {
    return (e as { error_description?: string }).error_description ?? String(e);
  }
};

describe('verifyAccessToken: what the signature alone does not settle', () => {
  it('refuses an algorithm outside the list, though the key named verifies it (RFC 8725 §3.1)', () => {
    const claims = JSON.stringify(accessTokenClaims(NOW, ISS, AUD));
    const signed = (alg: 'RS256' | 'PS256') => {
      const input = `${b64url(JSON.stringify({ alg, kid: 'rsa', typ: 'at+jwt' }))}.${b64url(claims)}`;
      const signature = nodeSign('sha256', Buffer.from(input), {
        key: rsa.privateKey,
        ...(alg === 'PS256' ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : {}),
      });
      return `${input}.${signature.toString('base64url')}`;
    };
    expect(outcome(signed('PS256'), ['PS256', 'ES256'])).toBe('accepted');
    expect(outcome(signed('RS256'), ['PS256', 'RS256'])).toBe('accepted');
    // FAPI 2.0 SP §5.4.1: RS256 is not among the algorithms a FAPI resource takes.
    expect(outcome(signed('RS256'), ['PS256', 'ES256'])).toBe('the access token is invalid');
  });

  it('refuses a JWT whose payload is unencoded, though it is signed as RFC 7797 says (RFC 7797 §7: a JWT MUST NOT)', () => {
    const header = b64url(JSON.stringify({ alg: 'ES256', typ: 'at+jwt', crit: ['b64'], b64: false }));
    const claims = JSON.stringify(accessTokenClaims(NOW, ISS, AUD));
    const input = `${header}.${claims}`;
    const signature = nodeSign('sha256', Buffer.from(input), {
      key: ec.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    expect(outcome(`${input}.${signature.toString('base64url')}`, ['ES256'])).toBe(
      'the access token is invalid',
    );
  });
});
