import { base64url, compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { jsonDepthWithin, MAX_JWT_JSON_DEPTH } from '../../common/json-depth';

/**
 * Decoding of compact JWS tokens for display (RFC 7515 §7.1): header and payload only, no trust.
 * Verification is separate (`verifyWithJwks`) because the UI shows a token before the JWKS is known.
 */
export interface DecodedToken {
  raw: string;
  /** `jws`: three base64url parts that decoded to JSON; `opaque`: not a JWT (a handle); `invalid`: looked like one but broke. */
  form: 'jws' | 'opaque' | 'invalid';
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  error?: string;
}

const textDecoder = new TextDecoder();

function decodeJsonPart(part: string): Record<string, unknown> {
  const value: unknown = JSON.parse(textDecoder.decode(base64url.decode(part)));
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('not a JSON object');
  // Shown as a tree and as JSON text, both of which recurse: a value thousands of levels deep would
  // take the view down with it.
  if (!jsonDepthWithin(value, MAX_JWT_JSON_DEPTH))
    throw new Error(`nested more than ${MAX_JWT_JSON_DEPTH} levels deep`);
  return value as Record<string, unknown>;
}

/** True for strings shaped like a compact JWS: three base64url segments. */
export function looksLikeJwt(value: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value);
}

export function decodeToken(raw: string): DecodedToken {
  const token = raw.trim();
  if (!looksLikeJwt(token)) return { raw: token, form: 'opaque', header: {}, payload: {} };
  const [h = '', p = ''] = token.split('.');
  try {
    return { raw: token, form: 'jws', header: decodeJsonPart(h), payload: decodeJsonPart(p) };
  } catch (e) {
    return {
      raw: token,
      form: 'invalid',
      header: {},
      payload: {},
      error: e instanceof Error ? e.message : String(e),
    };
  }
}

export interface SignatureStatus {
  /** null: could not be checked (opaque token, no JWKS, unknown key). */
  verified: boolean | null;
  kid?: string;
  detail: string;
}

/** Verifies a JWS with the provider's published keys (RFC 7517), choosing the key by `kid` and `alg`. */
export async function verifyWithJwks(raw: string, jwks: JSONWebKeySet | null): Promise<SignatureStatus> {
  const decoded = decodeToken(raw);
  if (decoded.form !== 'jws') return { verified: null, detail: 'not a signed JWT' };
  const kid = typeof decoded.header.kid === 'string' ? decoded.header.kid : undefined;
  if (!jwks) return { verified: null, kid, detail: 'the provider’s JWKS is not loaded' };
  try {
    await compactVerify(decoded.raw, createLocalJWKSet(jwks));
    return { verified: true, kid, detail: `verified with the provider key ${kid ?? '(no kid)'}` };
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_JWKS_NO_MATCHING_KEY')
      return { verified: null, kid, detail: `no published key matches kid ${kid ?? '(none)'}` };
    return { verified: false, kid, detail: e instanceof Error ? e.message : 'signature did not verify' };
  }
}

/** A JWT found in a token response or request, with the name it goes by. */
export interface HeldToken {
  name: 'access_token' | 'id_token' | 'refresh_token';
  raw: string;
}
