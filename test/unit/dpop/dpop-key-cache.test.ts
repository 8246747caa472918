import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  DPOP_KEY_CACHE_SIZE,
  dpopKeyCacheSize,
  importDpopKey,
} from '../../../src/server/infrastructure/dpop/dpop-key-cache';

const publicJwk = async (): Promise<JWK> => {
  const { publicKey } = await generateKeyPair('ES256', { extractable: true });
  return exportJWK(publicKey);
};

describe('importDpopKey', () => {
  it('imports a proof key once and hands the same key back for the next proof', async () => {
    const jwk = await publicJwk();
    const first = importDpopKey(jwk, 'ES256');
    expect(first.type).toBe('public');
    expect(importDpopKey({ ...jwk }, 'ES256')).toBe(first);
  });

  it('keys by every member of the JWK, not only the thumbprint’s: the same key with `use` is imported apart', async () => {
    const jwk = await publicJwk();
    const plain = importDpopKey(jwk, 'ES256');
    expect(importDpopKey({ ...jwk, use: 'enc' }, 'ES256')).not.toBe(plain);
  });

  it('keys by alg: a P-256 key is not reused for another algorithm', async () => {
    const jwk = await publicJwk();
    importDpopKey(jwk, 'ES256');
    expect(() => importDpopKey(jwk, 'ES384')).toThrow();
  });

  it('does not keep a failed import', async () => {
    const before = dpopKeyCacheSize();
    expect(() => importDpopKey({ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }, 'ES256')).toThrow();
    expect(dpopKeyCacheSize()).toBe(before);
  });

  it('stays bounded, the oldest import going first', async () => {
    const jwk = await publicJwk();
    const first = importDpopKey(jwk, 'ES256');
    // Distinct JWKs by an extra member; each is a valid import of the same public key.
    for (let i = 0; i < DPOP_KEY_CACHE_SIZE; i++) importDpopKey({ ...jwk, kid: `k${i}` }, 'ES256');
    expect(dpopKeyCacheSize()).toBe(DPOP_KEY_CACHE_SIZE);
    expect(importDpopKey(jwk, 'ES256')).not.toBe(first);
  });
});
