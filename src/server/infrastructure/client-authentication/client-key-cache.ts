import type { KeyObject } from 'node:crypto';
import { importJWK } from 'jose';
import { keyObjectOf } from '../jws';
import type { JWK } from 'jose';

/**
 * Imported client public keys, kept per registered key object and algorithm: a key is imported once,
 * not on every token request. Keyed by the JWK object itself, so a client whose jwks is replaced gets
 * its new keys and the old entries are collected with the old objects.
 */
const imported = new WeakMap<object, Map<string, Promise<KeyObject | undefined>>>();

/**
 * The public key of `jwk` for `alg`, imported by jose (which accepts or refuses the JWK) and kept as
 * its KeyObject, for node:crypto to verify with synchronously; undefined when the key cannot be used
 * to verify with that algorithm (as jose refused such a CryptoKey at verification).
 */
export function importClientKey(jwk: JWK, alg: string): Promise<KeyObject | undefined> {
  let byAlg = imported.get(jwk);
  if (!byAlg) {
    byAlg = new Map();
    imported.set(jwk, byAlg);
  }
  let key = byAlg.get(alg);
  if (!key) {
    key = importJWK(jwk, alg).then(
      (k) => {
        if (k instanceof Uint8Array) return undefined;
        try {
          return keyObjectOf(k, alg, 'verify');
        } catch {
          return undefined;
        }
      },
      () => undefined,
    );
    byAlg.set(alg, key);
  }
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
