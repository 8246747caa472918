import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { base64urlDecodeText } from './base64url';

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** The signature part as it came (base64url); empty for an unsigned JWS. */
  signature: string;
}

function parseObject(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(base64urlDecodeText(part));
  } catch {
    throw new TypeError(`the JWT ${what} is not base64url JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`the JWT ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** Splits a compact JWS (RFC 7515 §7.1) into its decoded header and payload. No verification. */
export function decodeJwt(jwt: string): DecodedJwt {
  const parts = jwt.split('.');
  if (parts.length !== 3) throw new TypeError('a compact JWS has three parts');
  const [header, payload, signature] = parts as [string, string, string];
  return { header: parseObject(header, 'header'), payload: parseObject(payload, 'payload'), signature };
}

/** Decodes without throwing: for the token decoder, which shows whatever it is given. */
export function tryDecodeJwt(jwt: string): DecodedJwt | null {
  try {
    return decodeJwt(jwt);
  } catch {
    return null;
  }
}

export interface JwksVerification {
  verified: boolean;
  /** The `kid` of the header (the key that verified it, when verified). */
  kid: string | undefined;
  error?: string;
}

/** Verifies a JWS against a JWKS and says by which key, or why not. */
export async function verifyWithJwks(jwt: string, jwks: JSONWebKeySet): Promise<JwksVerification> {
  const decoded = tryDecodeJwt(jwt);
  const kid = typeof decoded?.header.kid === 'string' ? decoded.header.kid : undefined;
  try {
    await compactVerify(jwt, createLocalJWKSet(jwks));
    return { verified: true, kid };
  } catch (e) {
    return { verified: false, kid, error: e instanceof Error ? e.message : String(e) };
  }
}
