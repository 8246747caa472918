import type { JWK } from 'jose';
import { sha256Base64url } from '../../domain/sha256';
import { JwsError } from './compact-jws';

const member = (jwk: JWK, name: 'crv' | 'x' | 'y' | 'e' | 'n'): string => {
  const value: unknown = jwk[name];
  if (typeof value !== 'string' || value === '') throw new JwsError(`the JWK ${name} is missing or invalid`);
  return value;
};

/**
 * RFC 7638 SHA-256 thumbprint of a public JWK (RSA, EC or OKP), computed synchronously: the required
 * members in lexicographic order, serialized without whitespace, hashed, base64url. The same value
 * (and the same refusals) as jose's calculateJwkThumbprint(jwk, 'sha256').
 */
export function jwkThumbprintSync(jwk: JWK): string {
  let required: Record<string, string>;
  switch (jwk.kty) {
    case 'EC':
      required = { crv: member(jwk, 'crv'), kty: 'EC', x: member(jwk, 'x'), y: member(jwk, 'y') };
      break;
    case 'OKP':
      required = { crv: member(jwk, 'crv'), kty: 'OKP', x: member(jwk, 'x') };
      break;
    case 'RSA':
      required = { e: member(jwk, 'e'), kty: 'RSA', n: member(jwk, 'n') };
      break;
    default:
      throw new JwsError('the JWK kty is missing or unsupported');
  }
  const input = JSON.stringify(required);
  // eslint-disable-next-line no-control-regex
  if (!/^[\x00-\x7f]*$/.test(input)) throw new JwsError('the JWK members are not ASCII');
  return sha256Base64url(input); // ASCII only: its UTF-8 bytes are its ASCII bytes
}
