import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { isJwsAlg, JwsError, type JwsAlg } from './compact-jws';
import { rsaKeyTooLarge } from './jwk-key-members';

/** RFC 7518 §3.1: the key type each algorithm signs with; §3.4: ES256 on P-256; RFC 8037 §3.1: Ed25519. */
const KEY_TYPE: Record<JwsAlg, { kty: string; crv?: string }> = {
  ES256: { kty: 'EC', crv: 'P-256' },
  PS256: { kty: 'RSA' },
  RS256: { kty: 'RSA' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
};

/**
 * RFC 7517 §4.3: a key that lists its operations may verify only when "verify" is one of them; and a
 * public signing key can do nothing else (the Web Cryptography API refuses to import one for any other
 * usage), so the list must be exactly that.
 */
function keyOpsAllowVerify(keyOps: unknown): boolean {
  if (keyOps === undefined) return true;
  return Array.isArray(keyOps) && keyOps.length === 1 && keyOps[0] === 'verify';
}

/**
 * A public JWK (RFC 7517) as the node:crypto KeyObject that verifies `alg` signatures, synchronously.
 * Accepts and refuses what jose's `importJWK` followed by a check of the CryptoKey's algorithm and
 * usage accepted (the parity test holds the two side by side): the JWK's own `alg` and `use` are not
 * looked at (a caller that cares checks them first), `ext` must be a boolean, `key_ops` must allow
 * "verify", a private key (`d`) is refused, and the key type and curve must be the algorithm's.
 * The members themselves are checked by node:crypto as WebCrypto's import checked them. Throws a
 * JwsError.
 */
export function importPublicJwk(jwk: Readonly<Record<string, unknown>>, alg: string): KeyObject {
  if (!isJwsAlg(alg)) throw new JwsError(`alg ${alg} is not supported`);
  if (jwk.ext !== undefined && typeof jwk.ext !== 'boolean') throw new JwsError('ext must be a boolean');
  if (!keyOpsAllowVerify(jwk.key_ops)) throw new JwsError('key_ops does not allow verify');
  if (jwk.d !== undefined) throw new JwsError('a public key is required');
  const expected = KEY_TYPE[alg];
  if (jwk.kty !== expected.kty || (expected.crv !== undefined && jwk.crv !== expected.crv)) {
    throw new JwsError(`the key does not fit ${alg}`);
  }
  // Unlike jose's import: verifying with a key of any size is a cost the key's sender chooses.
  const tooLarge = rsaKeyTooLarge(jwk);
  if (tooLarge) throw new JwsError(`the key is too large to verify with: ${tooLarge}`);
  try {
    return createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  } catch {
    throw new JwsError('the JWK is not a valid public key');
  }
}
