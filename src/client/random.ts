import { base64urlEncode } from './base64url';

/** Random bytes from the platform CSPRNG (WebCrypto). */
export function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

/** A base64url random string of `bytes` bytes of entropy (32 bytes = 256 bits = 43 characters). */
export function randomToken(bytes = 32): string {
  return base64urlEncode(randomBytes(bytes));
}

export function randomHex(bytes: number): string {
  return Array.from(randomBytes(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * `state` (RFC 6749 §10.12) and `nonce` (OpenID Connect Core §15.5.2) must be unguessable; FAPI 2.0
 * SP §5.3.2.1 asks for 128 bits of entropy where the server generates values, and we hold the client
 * to the same bar. 256 bits here.
 */
export const generateState = (): string => randomToken(32);
export const generateNonce = (): string => randomToken(32);
/** `jti` of a DPoP proof (RFC 9449 §4.2) or a client assertion (RFC 7523 §3 (7)): unique per token. */
export const generateJti = (): string => randomToken(16);
