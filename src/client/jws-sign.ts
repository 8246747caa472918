import { importJWK, type JWK } from 'jose';
import { base64urlEncode } from './base64url';

/** The JWS algorithms the client can sign with (FAPI 2.0 SP §5.4.1 allows PS256, ES256, EdDSA). */
export type SigningAlg = 'ES256' | 'ES384' | 'PS256' | 'PS384' | 'RS256' | 'EdDSA' | 'Ed25519';

export const signingAlgs: readonly SigningAlg[] = [
  'ES256',
  'ES384',
  'PS256',
  'PS384',
  'RS256',
  'EdDSA',
  'Ed25519',
];

/** WebCrypto parameters of `subtle.sign` for each JWS `alg` (RFC 7518 §3, RFC 8037 §3.1). */
function signParams(alg: SigningAlg): AlgorithmIdentifier | EcdsaParams | RsaPssParams {
  switch (alg) {
    case 'ES256':
      return { name: 'ECDSA', hash: 'SHA-256' };
    case 'ES384':
      return { name: 'ECDSA', hash: 'SHA-384' };
    case 'PS256':
      // RFC 7518 §3.5: the salt is as long as the hash.
      return { name: 'RSA-PSS', saltLength: 32 };
    case 'PS384':
      return { name: 'RSA-PSS', saltLength: 48 };
    case 'RS256':
      return { name: 'RSASSA-PKCS1-v1_5' };
    case 'EdDSA':
    case 'Ed25519':
      return { name: 'Ed25519' };
  }
}

/** A private signing key: a WebCrypto key, or a private JWK to import. */
export type PrivateKeyInput = CryptoKey | JWK;

const isCryptoKey = (key: PrivateKeyInput): key is CryptoKey =>
  typeof CryptoKey !== 'undefined' ? key instanceof CryptoKey : 'algorithm' in key && 'usages' in key;

export async function toPrivateCryptoKey(key: PrivateKeyInput, alg: SigningAlg): Promise<CryptoKey> {
  if (isCryptoKey(key)) return key;
  const imported = await importJWK(key, alg);
  if (imported instanceof Uint8Array) throw new TypeError('a symmetric key cannot sign an asymmetric JWS');
  return imported;
}

/**
 * Builds a compact JWS (RFC 7515 §7.1) by hand rather than through jose's signer, because the lab
 * must be able to forge faulty tokens: the header given here is written exactly as given (even an
 * `alg` that does not match the key), and `alg: "none"` yields an unsigned JWS with an empty signature.
 * `signingAlg` says how the key actually signs.
 */
export async function signCompactJws(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: CryptoKey,
  signingAlg: SigningAlg,
): Promise<string> {
  const signingInput = `${base64urlEncode(JSON.stringify(header))}.${base64urlEncode(JSON.stringify(payload))}`;
  if (header.alg === 'none') return `${signingInput}.`;
  const signature = await globalThis.crypto.subtle.sign(
    signParams(signingAlg),
    key,
    new TextEncoder().encode(signingInput),
  );
  return `${signingInput}.${base64urlEncode(new Uint8Array(signature))}`;
}
