import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

export type KeyPairAlg = 'PS256' | 'ES256' | 'EdDSA';

export interface JwkPair {
  /** RFC 7638 thumbprint of the public key: stable, and derived from the key alone. */
  readonly kid: string;
  readonly alg: KeyPairAlg;
  /** Secret: stored, never logged, never sent. */
  readonly privateJwk: JWK;
  /** RFC 7517 §4: with `kid`, `alg` and `use: 'sig'`. */
  readonly publicJwk: JWK;
}

/**
 * A fresh signing key pair as JWKs: RSA 2048 for PS256, P-256 for ES256, Ed25519 for EdDSA. Only
 * the key members are kept (no `ext`/`key_ops`), so that a stored JWK imports the same everywhere.
 */
export async function generateJwkPair(alg: KeyPairAlg): Promise<JwkPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicMembers = keyMembers(await exportJWK(publicKey));
  const kid = await calculateJwkThumbprint(publicMembers, 'sha256');
  return {
    kid,
    alg,
    privateJwk: { ...keyMembers(await exportJWK(privateKey)), kid, alg },
    publicJwk: { ...publicMembers, kid, alg, use: 'sig' },
  };
}

const KEY_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const;

function keyMembers(jwk: JWK): JWK {
  const out: JWK = {};
  for (const member of KEY_MEMBERS) {
    if (jwk[member] !== undefined) out[member] = jwk[member];
  }
  return out;
}
