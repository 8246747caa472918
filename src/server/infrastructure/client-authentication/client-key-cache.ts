import type { KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { importPublicJwk } from '../jws';

/**
 * Imported client public keys, kept per registered key object and algorithm: a key is imported once,
 * not on every token request. Keyed by the JWK object itself, so a client whose jwks is replaced gets
 * its new keys and the old entries are collected with the old objects.
 */
const imported = new WeakMap<object, Map<string, KeyObject | undefined>>();

/**
 * The public key of `jwk` for `alg`, for node:crypto to verify with; undefined when the key cannot be
 * used to verify with that algorithm (`importPublicJwk` refuses it). Either answer is kept.
 */
export function importClientKey(jwk: JWK, alg: string): KeyObject | undefined {
  let byAlg = imported.get(jwk);
  if (!byAlg) {
    byAlg = new Map();
    imported.set(jwk, byAlg);
  }
  if (byAlg.has(alg)) return byAlg.get(alg);
  let key: KeyObject | undefined;
  try {
    key = importPublicJwk(jwk, alg);
  } catch {
    key = undefined;
  }
  byAlg.set(alg, key);
  return key;
}

/** Whether a registered key may verify a signature made with `alg` (RFC 7517 §4.2–4.4, RFC 7518 §3.1). */
export function keyFitsAlg(jwk: JWK, alg: string): boolean {
  if (jwk.use !== undefined && jwk.use !== 'sig') return false;
  if (jwk.alg !== undefined && jwk.alg !== alg) return false;
  if (alg === 'PS256' || alg === 'RS256') return jwk.kty === 'RSA';
  if (alg === 'ES256') return jwk.kty === 'EC' && jwk.crv === 'P-256';
  if (alg === 'EdDSA') return jwk.kty === 'OKP' && jwk.crv === 'Ed25519';
  return false;
}
