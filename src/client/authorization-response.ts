import { ensure, skip, type ClientCheckLog } from './client-check';
import { OAuthResponseError } from './errors';

export interface AuthorizationResponseExpectations {
  /** The `state` sent in the request. */
  state: string;
  issuer: string;
  /** The provider advertises `authorization_response_iss_parameter_supported` (RFC 9207 §3). */
  issParameterSupported: boolean;
}

export interface AuthorizationResponse {
  code: string;
  state: string;
  iss: string | undefined;
}

const stateMatches = {
  id: 'authorization_response.state',
  description: 'the state in the response equals the state of the request',
  ref: 'RFC 6749 §10.12',
};
const issPresent = {
  id: 'authorization_response.iss_present',
  description: 'the response carries iss, since the provider advertises it',
  ref: 'RFC 9207 §2.4',
};
const issMatches = {
  id: 'authorization_response.iss',
  description: 'iss equals the issuer the request was sent to (mix-up defence)',
  ref: 'RFC 9207 §2.4',
};
const codePresent = {
  id: 'authorization_response.code',
  description: 'a successful response carries a code',
  ref: 'RFC 6749 §4.1.2',
};

/**
 * Reads the redirect to the client's redirect_uri (RFC 6749 §4.1.2). The `iss` is checked first,
 * before anything else in the response is trusted (RFC 9207 §2.4), then `state`; an error response
 * (RFC 6749 §4.1.2.1) is surfaced as an OAuthResponseError once it is known to come from our issuer.
 */
export function parseAuthorizationResponse(
  callbackUrl: string,
  expected: AuthorizationResponseExpectations,
  checks?: ClientCheckLog,
): AuthorizationResponse {
  const url = new URL(callbackUrl);
  // RFC 6749 §4.1.2: the query component (response_mode=query, the default for code).
  const params = url.searchParams;
  const iss = params.get('iss') ?? undefined;

  if (iss !== undefined || expected.issParameterSupported) {
    if (expected.issParameterSupported) {
      ensure(checks, issPresent, iss !== undefined, () => 'the response has no iss');
    }
    ensure(
      checks,
      issMatches,
      iss === expected.issuer,
      () => `got ${String(iss)}, expected ${expected.issuer}`,
    );
  } else {
    skip(
      checks,
      issMatches,
      'the provider does not advertise authorization_response_iss_parameter_supported',
    );
  }

  const state = params.get('state');
  ensure(checks, stateMatches, state === expected.state, () =>
    state === null ? 'the response has no state' : 'the state differs from the one sent',
  );

  const error = params.get('error');
  if (error !== null) {
    throw new OAuthResponseError(error, params.get('error_description') ?? undefined, null);
  }
  const code = params.get('code');
  ensure(checks, codePresent, code !== null && code !== '', () => 'the response has neither code nor error');
  return { code, state, iss };
}
