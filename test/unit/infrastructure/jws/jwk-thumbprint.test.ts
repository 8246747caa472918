import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { JwsError, jwkThumbprintSync } from '../../../../src/server/infrastructure/jws';

describe('jwkThumbprintSync', () => {
  it.each(['ES256', 'PS256', 'EdDSA'])('is what jose computes for a %s key', async (alg) => {
    const jwk = await exportJWK((await generateKeyPair(alg, { extractable: true })).publicKey);
    const withExtras = { ...jwk, kid: 'k', use: 'sig', alg };
    expect(jwkThumbprintSync(withExtras)).toBe(await calculateJwkThumbprint(withExtras, 'sha256'));
  });

  it('gives the RFC 7638 §3.1 example', () => {
    const jwk: JWK = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    expect(jwkThumbprintSync(jwk)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('refuses a JWK lacking a required member, or of another kty, with a JwsError', () => {
    for (const jwk of [
      { kty: 'EC', crv: 'P-256', x: 'AA' },
      { kty: 'OKP', crv: 'Ed25519', x: '' },
      { kty: 'RSA', n: 'AA', e: 1 },
      { kty: 'oct', k: 'AA' },
      {},
      { kty: 'EC', crv: 'P-256', x: 'é', y: 'AA' },
    ]) {
      expect(() => jwkThumbprintSync(jwk as JWK)).toThrow(JwsError);
    }
  });
});
