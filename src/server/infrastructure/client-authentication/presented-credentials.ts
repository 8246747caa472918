import { verify } from '../../domain/check';
import { invalidClient, invalidRequest } from '../../domain/oauth-error';
import {
  clientAuthBasicWellFormed,
  clientAuthPostWellFormed,
  clientAuthParametersNotRepeated,
  clientAuthPresent,
  clientAuthSingleMethod,
} from './client-auth-check-specs';

/** A request as express parses it: headers, and the urlencoded body (repeated names become arrays). */
export interface ClientAuthenticationRequest {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Record<string, unknown>;
}

export type ClientAuthenticationMethod =
  'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';

/** The credentials a request carries, by the one method it uses. */
export type PresentedCredentials =
  | { readonly method: 'client_secret_basic'; readonly clientId: string; readonly secret: string }
  | { readonly method: 'client_secret_post'; readonly clientId: string; readonly secret: string }
  | {
      readonly method: 'private_key_jwt';
      /** RFC 7521 §4.2: optional alongside an assertion. */
      readonly clientId?: string;
      readonly assertion: unknown;
      readonly assertionType: unknown;
    }
  | { readonly method: 'none'; readonly clientId: string };

/** Whether the request tries HTTP Basic authentication (the scheme is case-insensitive, RFC 9110 §11.1). */
export function attemptsBasic(request: ClientAuthenticationRequest): boolean {
  const authorization = request.headers.authorization;
  return typeof authorization === 'string' && /^basic(\s|$)/i.test(authorization.trim());
}

const AUTH_PARAMETERS = ['client_id', 'client_secret', 'client_assertion', 'client_assertion_type'] as const;

/**
 * Reads which method a request uses and its credentials. RFC 6749 §3.2: parameters must not be
 * repeated; §2.3: a client uses one method per request. Only the `Basic` scheme of the Authorization
 * header is client authentication; another scheme there is not ours to judge.
 */
export function readPresentedCredentials(request: ClientAuthenticationRequest): PresentedCredentials {
  const { headers, body } = request;
  const authorization = headers.authorization;
  const repeated = AUTH_PARAMETERS.filter((name) => Array.isArray(body[name]));
  if (Array.isArray(authorization)) repeated.push('Authorization' as never);
  verify(clientAuthParametersNotRepeated, repeated.length === 0, () =>
    invalidRequest(`repeated parameter: ${repeated.join(', ')}`, false),
  );

  const basic = attemptsBasic(request);
  const post = body.client_secret !== undefined;
  const jwt = body.client_assertion !== undefined || body.client_assertion_type !== undefined;
  const used = [
    basic && 'client_secret_basic',
    post && 'client_secret_post',
    jwt && 'private_key_jwt',
  ].filter((m): m is string => typeof m === 'string');
  verify(clientAuthSingleMethod, used.length <= 1, () =>
    invalidRequest(`more than one client authentication method used: ${used.join(', ')}`, false),
  );

  const clientId = typeof body.client_id === 'string' && body.client_id !== '' ? body.client_id : undefined;
  verify(clientAuthPresent, used.length === 1 || clientId !== undefined, () =>
    invalidClient('client authentication is required'),
  );

  if (basic && typeof authorization === 'string') {
    const { clientId: basicId, secret } = decodeBasicCredentials(authorization);
    return { method: 'client_secret_basic', clientId: basicId, secret };
  }
  if (post) {
    verify(clientAuthPostWellFormed, clientId !== undefined && typeof body.client_secret === 'string', () =>
      invalidClient('client_secret_post needs client_id and client_secret'),
    );
    return { method: 'client_secret_post', clientId, secret: body.client_secret };
  }
  if (jwt) {
    return {
      method: 'private_key_jwt',
      clientId,
      assertion: body.client_assertion,
      assertionType: body.client_assertion_type,
    };
  }
  return { method: 'none', clientId: clientId ?? '' };
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** RFC 6749 §2.3.1: `Basic base64(urlencode(client_id) ":" urlencode(client_secret))`. */
function decodeBasicCredentials(authorization: string): { clientId: string; secret: string } {
  const encoded = authorization.trim().slice('basic'.length).trim();
  let decoded: { clientId: string; secret: string } | undefined;
  if (BASE64.test(encoded)) {
    const text = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    try {
      decoded =
        colon > 0
          ? { clientId: formDecode(text.slice(0, colon)), secret: formDecode(text.slice(colon + 1)) }
          : undefined;
    } catch {
      decoded = undefined;
    }
  }
  verify(clientAuthBasicWellFormed, decoded !== undefined && decoded.clientId !== '', () =>
    invalidClient('malformed Basic credentials'),
  );
  return decoded;
}

// application/x-www-form-urlencoded (RFC 6749 Appendix B): `+` is a space; throws on a bad escape.
const formDecode = (value: string): string => decodeURIComponent(value.replace(/\+/g, ' '));
