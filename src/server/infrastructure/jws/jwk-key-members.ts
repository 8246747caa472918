import { decodeBase64urlStrict } from './compact-jws';

/** The members that hold a public key's value, per kty (RFC 7518 §6.2.1, §6.3.1; RFC 8037 §2). */
const KEY_VALUE_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  RSA: ['n', 'e'],
  EC: ['x', 'y'],
  OKP: ['x'],
};

/**
 * The first key-value member of a JWK that is not canonical base64url (RFC 7515 §2: no padding, no
 * other character); undefined when all are, or when the kty is not one of RSA, EC and OKP. Node's
 * decoder skips what it does not know, so such a key can still import and verify, while its RFC 7638
 * thumbprint, computed over the members as written, names another key than the canonical form of
 * the same key (or cannot be computed at all, for a non-ASCII character).
 */
export function nonCanonicalKeyMember(key: Readonly<Record<string, unknown>>): string | undefined {
  const members = typeof key.kty === 'string' ? KEY_VALUE_MEMBERS[key.kty] : undefined;
  return members?.find((name) => {
    const value = key[name];
    if (typeof value !== 'string') return true;
    try {
      decodeBase64urlStrict(value, name);
      return false;
    } catch {
      return true;
    }
  });
}

/** RFC 7518 §3.3, §3.5 and FAPI 2.0 SP §5.4.1: RSA keys of at least 2048 bits. */
export const MIN_RSA_MODULUS_BITS = 2048;

/** The size of an RSA JWK's modulus `n`, in bits of its significant bytes. */
export function rsaModulusBits(n: string): number {
  const bytes = Buffer.from(n, 'base64url');
  const firstNonZero = bytes.findIndex((b) => b !== 0);
  return firstNonZero < 0 ? 0 : (bytes.length - firstNonZero) * 8;
}
