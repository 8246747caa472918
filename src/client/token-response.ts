import { ensure, type ClientCheckLog } from './client-check';
import { ClientProtocolError, OAuthResponseError } from './errors';
import { parseJsonObject, type ClientResponse } from './http';

/** A successful token response (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3, RFC 9449 §5). */
export interface TokenSet {
  access_token: string;
  token_type: string;
  expires_in?: number;
  refresh_token?: string;
  id_token?: string;
  scope?: string;
  [name: string]: unknown;
}

/** Turns an error answer (RFC 6749 §5.2, RFC 6750 §3, RFC 9449 §7.1) into an OAuthResponseError. */
export function throwIfErrorResponse(response: ClientResponse): void {
  if (response.status >= 200 && response.status < 300) return;
  const wwwAuthenticate = response.headers.get('www-authenticate') ?? undefined;
  let body: { error?: unknown; error_description?: unknown } = {};
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    // Resource servers put the error in WWW-Authenticate (RFC 6750 §3) and may send no JSON.
  }
  const fromHeader = /error="([^"]+)"/.exec(wwwAuthenticate ?? '')?.[1];
  const descriptionFromHeader = /error_description="([^"]*)"/.exec(wwwAuthenticate ?? '')?.[1];
  const error = typeof body.error === 'string' ? body.error : (fromHeader ?? `http_${response.status}`);
  const description =
    typeof body.error_description === 'string' ? body.error_description : descriptionFromHeader;
  throw new OAuthResponseError(error, description, response.status, wwwAuthenticate);
}

const tokenTypeDpop = {
  id: 'token_response.token_type',
  description: 'a DPoP-bound access token is announced with token_type DPoP',
  ref: 'RFC 9449 §5',
};
const idTokenPresent = {
  id: 'token_response.id_token',
  description: 'an openid request returns an ID token',
  ref: 'OpenID Connect Core §3.1.3.3',
};

export function parseTokenResponse(
  response: ClientResponse,
  expected: { dpop: boolean; idToken: boolean },
  checks?: ClientCheckLog,
): TokenSet {
  throwIfErrorResponse(response);
  const tokens = parseJsonObject<TokenSet>(response);
  if (typeof tokens.access_token !== 'string' || typeof tokens.token_type !== 'string') {
    throw new ClientProtocolError(
      `${response.report.label}: the token response lacks access_token or token_type (RFC 6749 §5.1)`,
    );
  }
  if (expected.dpop) {
    // RFC 6749 §5.1: token_type is case-insensitive.
    ensure(
      checks,
      tokenTypeDpop,
      tokens.token_type.toLowerCase() === 'dpop',
      () => `got ${tokens.token_type}`,
    );
  }
  if (expected.idToken) {
    ensure(checks, idTokenPresent, typeof tokens.id_token === 'string', () => 'no id_token in the response');
  }
  return tokens;
}
