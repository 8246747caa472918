import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  importClientKey,
  keyFitsAlg,
} from '../../../src/server/infrastructure/client-authentication/client-key-cache';

describe('client key cache', () => {
  it('imports a registered key once per algorithm', async () => {
    const jwk = await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey);
    const first = importClientKey(jwk, 'ES256');
    expect(first?.type).toBe('public');
    expect(importClientKey(jwk, 'ES256')).toBe(first);
    // A replaced jwks (a new object) is imported afresh.
    expect(importClientKey({ ...jwk }, 'ES256')).not.toBe(first);
  });

  it('gives undefined for a key that does not fit the algorithm', async () => {
    const jwk = await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey);
    expect(importClientKey(jwk, 'PS256')).toBeUndefined();
  });

  it('matches keys to algorithms by kty, crv, use and alg', () => {
    expect(keyFitsAlg({ kty: 'EC', crv: 'P-256' }, 'ES256')).toBe(true);
    expect(keyFitsAlg({ kty: 'EC', crv: 'P-384' }, 'ES256')).toBe(false);
    expect(keyFitsAlg({ kty: 'RSA' }, 'PS256')).toBe(true);
    expect(keyFitsAlg({ kty: 'RSA', alg: 'RS256' }, 'PS256')).toBe(false);
    expect(keyFitsAlg({ kty: 'RSA', use: 'enc' }, 'PS256')).toBe(false);
    expect(keyFitsAlg({ kty: 'OKP', crv: 'Ed25519' }, 'EdDSA')).toBe(true);
    expect(keyFitsAlg({ kty: 'oct' }, 'HS256')).toBe(false);
  });
});
