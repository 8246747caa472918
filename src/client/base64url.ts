/**
 * base64url without padding (RFC 4648 §5, as RFC 7515 §2 uses it), written against Uint8Array and
 * btoa/atob so that it runs in the browser and in Node alike (no Buffer).
 */

export function base64urlEncode(input: Uint8Array | string): string {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function base64urlDecode(input: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(input)) throw new TypeError('not base64url');
  const base64 = input.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function base64urlDecodeText(input: string): string {
  return new TextDecoder().decode(base64urlDecode(input));
}

/** base64url(SHA-256(ASCII(text))): the shape of `code_challenge` (RFC 7636 §4.2) and `ath` (RFC 9449 §4.2). */
export async function sha256Base64url(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return base64urlEncode(new Uint8Array(digest));
}
