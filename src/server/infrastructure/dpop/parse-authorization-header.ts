/**
 * The Authorization header of a request to a protected resource, when it names an access-token
 * scheme: `DPoP` or `Bearer` (case-insensitive, RFC 9110 §11.1). `token` is undefined when the rest is
 * not `1*SP token68` (RFC 9449 §7.1, RFC 6750 §2.1): the request is then malformed, where a header of
 * another scheme (Basic) carries no access token at all (RFC 6750 §3.1).
 */
export interface PresentedAccessToken {
  readonly scheme: 'dpop' | 'bearer';
  readonly token: string | undefined;
}

const ACCESS_TOKEN_CREDENTIALS = /^(DPoP|Bearer)(?: +(.*))?$/i;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Reads the Authorization header; undefined when absent, repeated or of another scheme. */
export function parseAuthorizationHeader(
  value: string | string[] | undefined,
): PresentedAccessToken | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ACCESS_TOKEN_CREDENTIALS.exec(value.trim());
  if (!match?.[1]) return undefined;
  const token = match[2];
  return {
    scheme: match[1].toLowerCase() === 'dpop' ? 'dpop' : 'bearer',
    token: token !== undefined && TOKEN68.test(token) ? token : undefined,
  };
}
