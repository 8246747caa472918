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

/**
 * And at most 8192 bits, with a public exponent below 2^256 (NIST SP 800-56B Rev. 2 §6.2.1): the cost
 * of verifying grows with both, and a key is the sender's to choose. A DPoP proof whose key had a
 * 3,064-bit exponent took 7 ms to verify, against 0.1 ms for a usual one.
 */
const MAX_RSA_MODULUS_BITS = 8192;
const MAX_RSA_EXPONENT_BITS = 256;

/** The size of a base64url integer (an RSA JWK's `n` or `e`), in bits of its significant bytes. */
function significantBits(value: string): number {
  const bytes = Buffer.from(value, 'base64url');
  const firstNonZero = bytes.findIndex((b) => b !== 0);
  return firstNonZero < 0 ? 0 : (bytes.length - firstNonZero) * 8;
}

/** The size of an RSA JWK's modulus `n`, in bits of its significant bytes. */
export const rsaModulusBits = (n: string): number => significantBits(n);

/**
 * Why an RSA JWK is too large to verify with (MAX_RSA_MODULUS_BITS, MAX_RSA_EXPONENT_BITS), or
 * undefined when it is not (or is not an RSA key with string members).
 */
export function rsaKeyTooLarge(key: Readonly<Record<string, unknown>>): string | undefined {
  if (key.kty !== 'RSA' || typeof key.n !== 'string' || typeof key.e !== 'string') return undefined;
  if (significantBits(key.n) > MAX_RSA_MODULUS_BITS)
    return `an RSA modulus of more than ${MAX_RSA_MODULUS_BITS} bits`;
  if (significantBits(key.e) > MAX_RSA_EXPONENT_BITS)
    return `an RSA exponent of more than ${MAX_RSA_EXPONENT_BITS} bits`;
  return undefined;
}
