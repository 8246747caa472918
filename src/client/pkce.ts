import { sha256Base64url } from './base64url';
import { randomToken } from './random';

/**
 * RFC 7636 §4.1: a high-entropy `code_verifier` of 43 to 128 characters from the unreserved set.
 * 32 random bytes, base64url-encoded, give 43 characters and 256 bits.
 */
export function generateCodeVerifier(): string {
  return randomToken(32);
}

/** RFC 7636 §4.2: `code_challenge = BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))`, method S256. */
export function codeChallengeS256(verifier: string): Promise<string> {
  return sha256Base64url(verifier);
}

export const codeChallengeMethod = 'S256' as const;
