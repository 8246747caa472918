import type { DecodedJwt, Exchange } from '../../common/lab-events';

export type JwtKind = DecodedJwt['kind'];

/** A JWT spotted in an exchange, not yet decoded. */
export interface FoundJwt {
  /** `request.header.DPoP`, `request.form.client_assertion`, `response.json.id_token`… */
  readonly location: string;
  readonly kind: JwtKind;
  readonly raw: string;
}

// RFC 7515 §7.1: JWS Compact Serialization, three base64url parts (the signature may be empty).
const COMPACT_JWS = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** Longer JWT-shaped strings are not decoded: the decoder's cache must stay small (real JWTs are a few KB). */
const MAX_JWT_LENGTH = 16 * 1024;
export const looksLikeJwt = (value: string): boolean =>
  value.length <= MAX_JWT_LENGTH && COMPACT_JWS.test(value);

const FORM_FIELDS: readonly [string, JwtKind][] = [
  ['client_assertion', 'client_assertion'], // RFC 7523 §2.2
  ['id_token_hint', 'id_token_hint'], // OIDC RP-Initiated Logout §2
  ['token', 'access_token'], // RFC 7662 §2.1, RFC 7009 §2.1
  ['request', 'other'], // RFC 9101 request object, if a client sends one
];
const RESPONSE_FIELDS: readonly [string, JwtKind][] = [
  ['access_token', 'access_token'], // RFC 6749 §5.1
  ['id_token', 'id_token'], // OIDC Core §3.1.3.3
];

const header = (headers: Record<string, string>, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
};

function formFields(body: string | null, contentType: string | undefined): URLSearchParams | undefined {
  if (body === null || !contentType?.toLowerCase().includes('application/x-www-form-urlencoded'))
    return undefined;
  return new URLSearchParams(body);
}

function jsonObject(
  body: string | null,
  contentType: string | undefined,
): Record<string, unknown> | undefined {
  if (body === null || !contentType?.toLowerCase().includes('json') || !body.trimStart().startsWith('{'))
    return;
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined; // a truncated capture, or not JSON after all
  }
}

/**
 * Every JWT an exchange carries, and what it is. Cheap string work only: decoding and signature
 * checks happen later, when someone looks (see jwt-decoder.ts).
 */
export function findJwts(exchange: Exchange): FoundJwt[] {
  const found: FoundJwt[] = [];
  const add = (location: string, kind: JwtKind, raw: string | undefined | null): void => {
    if (typeof raw === 'string' && looksLikeJwt(raw)) found.push({ location, kind, raw });
  };

  // RFC 6750 §2.1 (Bearer) and RFC 9449 §7.1 (DPoP) authorization schemes.
  const authorization = header(exchange.requestHeaders, 'authorization');
  const scheme = authorization && /^(Bearer|DPoP)\s+(\S+)$/i.exec(authorization);
  if (scheme) add('request.header.Authorization', 'access_token', scheme[2]);
  // RFC 9449 §4.1: the proof travels in the DPoP header.
  add('request.header.DPoP', 'dpop_proof', header(exchange.requestHeaders, 'dpop'));

  // Parsed only when it may hold one: the name is in the URL as it is, or percent-encoded.
  let query: URLSearchParams | undefined;
  if (exchange.url.includes('id_token_hint') || exchange.url.includes('%')) {
    try {
      query = new URL(exchange.url, 'http://lab.invalid').searchParams;
    } catch {
      query = undefined;
    }
  }
  add('request.query.id_token_hint', 'id_token_hint', query?.get('id_token_hint'));

  const form = formFields(exchange.requestBody, header(exchange.requestHeaders, 'content-type'));
  for (const [field, kind] of FORM_FIELDS) add(`request.form.${field}`, kind, form?.get(field));

  // Parsed only when it may hold one: a discovery document or a JWKS does not (a member name written
  // with escapes, which JSON allows and no server here writes, is not looked for).
  const mayHoldTokens = exchange.responseBody?.includes('_token"') === true;
  const json = mayHoldTokens
    ? jsonObject(exchange.responseBody, header(exchange.responseHeaders, 'content-type'))
    : undefined;
  for (const [field, kind] of RESPONSE_FIELDS) {
    const value = json?.[field];
    if (typeof value === 'string') add(`response.json.${field}`, kind, value);
  }
  return found;
}
