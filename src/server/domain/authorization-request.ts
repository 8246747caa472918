import type { Client } from './client';
import { verify, type CheckSpec } from './check';
import {
  invalidRequest,
  invalidScope,
  OAuthError,
  unauthorizedClient,
  unsupportedResponseType,
} from './oauth-error';
import type { Parameters } from './parameters';
import { checkCodeChallenge } from './pkce';
import { isRegisteredRedirectUri } from './redirect-uri';
import { checkScopeSyntax, parseScope, SUPPORTED_SCOPES } from './scope';

/** A validated authorization request (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2.1, RFC 7636 §4.3). */
export interface AuthorizationRequest {
  readonly client_id: string;
  readonly redirect_uri: string;
  readonly response_type: 'code';
  readonly scope: readonly string[];
  readonly state?: string;
  readonly nonce?: string;
  readonly code_challenge: string;
  readonly code_challenge_method: 'S256';
  readonly prompt: ReadonlySet<string>;
  readonly max_age?: number;
  readonly ui_locales?: string;
  readonly login_hint?: string;
  /** RFC 9449 §10 */
  readonly dpop_jkt?: string;
}

const checks = {
  redirectUriPresent: {
    id: 'authorization.redirect_uri.present',
    description: 'redirect_uri is present',
    ref: 'OpenID Connect Core §3.1.2.1; FAPI 2.0 SP §5.3.2.2 (redirect_uri in the PAR request)',
  },
  redirectUriRegistered: {
    id: 'authorization.redirect_uri.registered',
    description: 'redirect_uri exactly matches one registered for the client (any port on loopback)',
    ref: 'RFC 6749 §3.1.2.3; RFC 8252 §7.3; FAPI 2.0 SP §5.3.2.2',
  },
  responseTypePresent: {
    id: 'authorization.response_type.present',
    description: 'response_type is present',
    ref: 'RFC 6749 §4.1.1',
  },
  responseTypeCode: {
    id: 'authorization.response_type.code',
    description: 'response_type is "code" (the only one supported)',
    ref: 'FAPI 2.0 SP §5.3.2.2 (1)',
  },
  responseTypeRegistered: {
    id: 'authorization.response_type.registered',
    description: 'The client may use the authorization code grant',
    ref: 'RFC 7591 §2 (response_types, grant_types)',
  },
  responseMode: {
    id: 'authorization.response_mode',
    description: 'response_mode is absent or "query"',
    ref: 'OAuth 2.0 Multiple Response Types §2.1',
  },
  requestObject: {
    id: 'authorization.request_object',
    description: 'No request object (not supported): parameters come by PAR or the query',
    ref: 'OpenID Connect Core §6.1',
  },
  scopeKnown: {
    id: 'authorization.scope.allowed',
    description: 'Every scope value is known and registered for the client',
    ref: 'RFC 6749 §3.3',
  },
  prompt: {
    id: 'authorization.prompt',
    description: 'prompt holds known values, and "none" alone',
    ref: 'OpenID Connect Core §3.1.2.1',
  },
  maxAge: {
    id: 'authorization.max_age',
    description: 'max_age is a non-negative integer',
    ref: 'OpenID Connect Core §3.1.2.1',
  },
  dpopJkt: {
    id: 'authorization.dpop_jkt.syntax',
    description: 'dpop_jkt is a base64url SHA-256 JWK thumbprint',
    ref: 'RFC 9449 §10',
  },
} satisfies Record<string, CheckSpec>;

export { checks as authorizationRequestChecks };

/**
 * The redirect_uri is checked before anything else: until it is known to be registered, no error
 * may be sent to it (RFC 6749 §4.1.2.1) — the caller shows an error page instead.
 */
export function validateRedirectUri(client: Client, params: Parameters): string {
  const redirectUri = params.redirect_uri;
  verify(checks.redirectUriPresent, redirectUri !== undefined, () =>
    invalidRequest('redirect_uri is required', false),
  );
  verify(
    checks.redirectUriRegistered,
    isRegisteredRedirectUri(redirectUri, client.metadata.redirect_uris),
    () => invalidRequest('redirect_uri is not registered for this client', false),
  );
  return redirectUri;
}

const PROMPT_VALUES = new Set(['none', 'login', 'consent', 'select_account']);

/** Validates the rest of an authorization request, in the order of RFC 6749 §4.1.1 and OIDC Core §3.1.2.1. */
export function validateAuthorizationParameters(client: Client, params: Parameters): AuthorizationRequest {
  const redirect_uri = validateRedirectUri(client, params);

  verify(
    checks.requestObject,
    params.request === undefined,
    () =>
      new OAuthError('request_not_supported', 'request objects are not supported; use PAR', 400, {
        redirectable: true,
      }),
  );
  const responseType = params.response_type;
  verify(checks.responseTypePresent, responseType !== undefined, () =>
    invalidRequest('response_type is required'),
  );
  verify(checks.responseTypeCode, responseType === 'code', () =>
    unsupportedResponseType('only response_type=code is supported'),
  );
  verify(
    checks.responseTypeRegistered,
    client.metadata.response_types.includes('code') &&
      client.metadata.grant_types.includes('authorization_code'),
    () => unauthorizedClient('the client is not registered for the authorization code grant'),
  );
  verify(checks.responseMode, params.response_mode === undefined || params.response_mode === 'query', () =>
    invalidRequest('response_mode must be query'),
  );

  checkScopeSyntax(params.scope);
  const scope = parseScope(params.scope);
  const unknown = scope.filter((s) => !SUPPORTED_SCOPES.includes(s) || !client.allowedScopes.has(s));
  verify(checks.scopeKnown, unknown.length === 0, () =>
    invalidScope(`scope not allowed for this client: ${unknown.join(' ')}`),
  );

  const { code_challenge, code_challenge_method } = checkCodeChallenge(params);

  const prompt = new Set(parseScope(params.prompt));
  verify(
    checks.prompt,
    [...prompt].every((p) => PROMPT_VALUES.has(p)) && (!prompt.has('none') || prompt.size === 1),
    () => invalidRequest('prompt must hold known values, and "none" alone'),
  );

  let max_age: number | undefined;
  if (params.max_age !== undefined) {
    verify(checks.maxAge, /^\d{1,9}$/.test(params.max_age), () =>
      invalidRequest('max_age must be a non-negative integer'),
    );
    max_age = Number(params.max_age);
  }
  if (params.dpop_jkt !== undefined) {
    verify(checks.dpopJkt, /^[A-Za-z0-9_-]{43}$/.test(params.dpop_jkt), () =>
      invalidRequest('dpop_jkt must be a base64url SHA-256 thumbprint'),
    );
  }

  return {
    client_id: client.client_id,
    redirect_uri,
    response_type: 'code',
    scope,
    state: params.state,
    nonce: params.nonce,
    code_challenge,
    code_challenge_method,
    prompt,
    max_age,
    ui_locales: params.ui_locales,
    login_hint: params.login_hint,
    dpop_jkt: params.dpop_jkt,
  };
}
