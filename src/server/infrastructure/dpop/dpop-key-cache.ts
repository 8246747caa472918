import type { KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { importPublicJwk } from '../jws';

/** Enough for every DPoP key in use at once in a lab; past it the oldest import is dropped. */
export const DPOP_KEY_CACHE_SIZE = 1024;

const imported = new Map<string, KeyObject>();

/**
 * The public key of a DPoP proof's `jwk` header, imported for `alg` (RFC 9449 §4.3 (6)). A client
 * signs every proof of a session with the same key, and importing it costs about as much as
 * verifying the signature, so imports are kept, keyed by the whole JWK as sent (every member, not
 * only the thumbprint's: `ext` or `key_ops` change what the import accepts) and the `alg`. Throws
 * when the key cannot verify `alg` signatures (`importPublicJwk`).
 * Bounded, oldest first out; a failed import is not kept. Nothing secret is held: public keys only.
 */
export function importDpopKey(jwk: JWK, alg: string): KeyObject {
  const cacheKey = `${alg}\u0000${JSON.stringify(jwk)}`;
  const hit = imported.get(cacheKey);
  if (hit) return hit;
  const key = importPublicJwk(jwk, alg);
  imported.set(cacheKey, key);
  if (imported.size > DPOP_KEY_CACHE_SIZE) {
    const oldest = imported.keys().next().value;
    if (oldest !== undefined) imported.delete(oldest);
  }
  return key;
}

/** Imports currently kept (for tests). */
export const dpopKeyCacheSize = (): number => imported.size;
