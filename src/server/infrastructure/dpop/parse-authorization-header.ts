/** An access token presented at a resource: `Authorization: DPoP <token>` or `Bearer <token>`. */
export interface PresentedAccessToken {
  readonly scheme: 'dpop' | 'bearer';
  readonly token: string;
}

// RFC 9449 §7.1, RFC 6750 §2.1: `scheme 1*SP token68`; the scheme is case-insensitive (RFC 9110 §11.1).
const CREDENTIALS = /^(DPoP|Bearer) +([A-Za-z0-9\-._~+/]+=*)$/i;

/** Reads the Authorization header; undefined when absent, repeated, malformed or of another scheme. */
export function parseAuthorizationHeader(
  value: string | string[] | undefined,
): PresentedAccessToken | undefined {
  if (typeof value !== 'string') return undefined;
  const match = CREDENTIALS.exec(value.trim());
  if (!match?.[1] || !match[2]) return undefined;
  return { scheme: match[1].toLowerCase() === 'dpop' ? 'dpop' : 'bearer', token: match[2] };
}

const ACCESS_TOKEN_SCHEME = /^(DPoP|Bearer)(?: |$)/i;

/**
 * The access-token scheme an Authorization header names, well-formed or not: a header of another
 * scheme (Basic) carries no access token (RFC 6750 §3.1), one of these schemes with a malformed value
 * is a malformed request.
 */
export function accessTokenSchemeOf(value: string | string[] | undefined): 'dpop' | 'bearer' | undefined {
  const scheme = typeof value === 'string' ? ACCESS_TOKEN_SCHEME.exec(value.trim())?.[1] : undefined;
  return scheme === undefined ? undefined : scheme.toLowerCase() === 'dpop' ? 'dpop' : 'bearer';
}
