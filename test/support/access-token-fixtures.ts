import { KeyObject, sign as nodeSign } from 'node:crypto';

/** The claims of a well-formed JWT access token (RFC 9068 §2.2), issued by `iss` at `now` (seconds). */
export const accessTokenClaims = (now: number, iss: string, aud: string) => ({
  client_id: 'c',
  scope: 's',
  sub: 'u',
  jti: 'j',
  iss,
  aud,
  iat: now - 10,
  exp: now + 60,
});

/** Signs any header and any payload bytes with an ES256 key, even what jose refuses to produce. */
export function signEs256Raw(
  header: Record<string, unknown>,
  payload: string | Buffer,
  privateKey: CryptoKey | KeyObject,
): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(payload).toString('base64url')}`;
  const key = privateKey instanceof KeyObject ? privateKey : KeyObject.from(privateKey);
  const signature = nodeSign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}
