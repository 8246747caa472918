import { createHash, generateKeyPairSync, sign, type JsonWebKey, type KeyObject } from 'node:crypto';

/**
 * The load generator's signer: ES256 compact JWS (RFC 7515 §7.1, RFC 7518 §3.4) with node:crypto
 * directly. Everything it signs is signed before the timed window, so its speed only shortens the
 * preparation; it is kept minimal so that preparation stays a small part of the run.
 */

export interface Es256Key {
  readonly privateKey: KeyObject;
  /** The public JWK (kty, crv, x, y). */
  readonly publicJwk: JsonWebKey;
}

export function generateEs256Key(): Es256Key {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  return { privateKey, publicJwk: { kty, crv, x, y } };
}

const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** header.payload.signature, signed ES256 (raw r||s signature, RFC 7518 §3.4). */
export function signEs256(header: object, payload: object, key: KeyObject): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/** RFC 9449 §4.2 `ath`: base64url(SHA-256(access token)). */
export const accessTokenHash = (accessToken: string): string =>
  createHash('sha256').update(accessToken).digest('base64url');

/** RFC 7638 thumbprint of a P-256 public JWK (members in lexicographic order). */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}
