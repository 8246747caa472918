import type { KeyObject } from 'node:crypto';
import { importJWK, type JWK } from 'jose';
import { keyObjectOf } from '../jws';

/** Enough for every DPoP key in use at once in a lab; past it the oldest import is dropped. */
export const DPOP_KEY_CACHE_SIZE = 1024;

const imported = new Map<string, Promise<KeyObject>>();

/**
 * The public key of a DPoP proof's `jwk` header, imported for `alg` (RFC 9449 §4.3 (6)). A client
 * signs every proof of a session with the same key, and importing it costs about as much as
 * verifying the signature, so imports are kept, keyed by the whole JWK as sent (every member, not
 * only the thumbprint's: `use`, `alg` or `key_ops` change what the import accepts) and the `alg`.
 * Imported by jose as a CryptoKey (so the JWK is accepted or refused exactly as before) and kept as
 * its KeyObject, which node:crypto verifies with synchronously. A key whose `key_ops` do not allow
 * `verify` is refused here, as jose refused it at verification.
 * Bounded, oldest first out; a failed import is not kept. Nothing secret is held: public keys only.
 */
export function importDpopKey(jwk: JWK, alg: string): Promise<KeyObject> {
  const cacheKey = `${alg}\u0000${JSON.stringify(jwk)}`;
  const hit = imported.get(cacheKey);
  if (hit) return hit;
  const key = importJWK(jwk, alg).then((k) => {
    if (k instanceof Uint8Array) throw new TypeError('a DPoP proof key must be asymmetric');
    return keyObjectOf(k, alg, 'verify');
  });
  imported.set(cacheKey, key);
  key.catch(() => imported.delete(cacheKey));
  if (imported.size > DPOP_KEY_CACHE_SIZE) {
    const oldest = imported.keys().next().value;
    if (oldest !== undefined) imported.delete(oldest);
  }
  return key;
}

/** Imports currently kept (for tests). */
export const dpopKeyCacheSize = (): number => imported.size;
