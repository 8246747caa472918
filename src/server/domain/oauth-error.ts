/**
 * The one family of protocol errors. Every failure the provider answers with is an OAuthError:
 * a registered `error` code, a human-readable `error_description`, the HTTP status the spec gives
 * for it, and whether it may be sent to the client's redirect_uri (RFC 6749 §4.1.2.1) — errors about
 * the client or the redirect_uri itself never are (they are shown on an error page instead).
 */
export class OAuthError extends Error {
  readonly error: string;
  readonly error_description: string;
  readonly status: number;
  /** May be delivered to a validated redirect_uri (RFC 6749 §4.1.2.1). */
  readonly redirectable: boolean;
  /** Extra response headers: `WWW-Authenticate` (RFC 6750 §3, RFC 9449 §7.1), `DPoP-Nonce` (RFC 9449 §8). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    error: string,
    error_description: string,
    status: number,
    options: { redirectable?: boolean; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    // `cause`: for server_error, the fault behind it, which the error handler logs.
    super(
      `${error}: ${error_description}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'OAuthError';
    this.error = error;
    this.error_description = error_description;
    this.status = status;
    this.redirectable = options.redirectable ?? false;
    this.headers = options.headers ?? {};
  }

  toJSON(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.error_description };
  }

  withHeaders(headers: Record<string, string>): OAuthError {
    return new OAuthError(this.error, this.error_description, this.status, {
      redirectable: this.redirectable,
      headers: { ...this.headers, ...headers },
      cause: this.cause,
    });
  }
}

// One constructor per registered error code, with the status its spec gives.

/** RFC 6749 §5.2 / §4.1.2.1 */
export const invalidRequest = (d: string, redirectable = true) =>
  new OAuthError('invalid_request', d, 400, { redirectable });
/** RFC 6749 §5.2: 401 when the client tried to authenticate (and a WWW-Authenticate for Basic). */
export const invalidClient = (d: string) => new OAuthError('invalid_client', d, 401);
/** RFC 6749 §5.2 */
export const invalidGrant = (d: string) => new OAuthError('invalid_grant', d, 400);
/** RFC 6749 §5.2 / §4.1.2.1 */
export const unauthorizedClient = (d: string, redirectable = true) =>
  new OAuthError('unauthorized_client', d, 400, { redirectable });
/** RFC 6749 §5.2 */
export const unsupportedGrantType = (d: string) => new OAuthError('unsupported_grant_type', d, 400);
/** RFC 6749 §4.1.2.1 */
export const unsupportedResponseType = (d: string) =>
  new OAuthError('unsupported_response_type', d, 400, { redirectable: true });
/** RFC 6749 §5.2 / §4.1.2.1 */
export const invalidScope = (d: string) => new OAuthError('invalid_scope', d, 400, { redirectable: true });
/** RFC 6749 §4.1.2.1 */
export const accessDenied = (d: string) => new OAuthError('access_denied', d, 400, { redirectable: true });
/** OpenID Connect Core §3.1.2.6 */
export const loginRequired = (d: string) => new OAuthError('login_required', d, 400, { redirectable: true });
/** OpenID Connect Core §3.1.2.6 */
export const consentRequired = (d: string) =>
  new OAuthError('consent_required', d, 400, { redirectable: true });
/** RFC 9126 §2.3, RFC 9101 §10.2 */
export const invalidRequestUri = (d: string, redirectable = false) =>
  new OAuthError('invalid_request_uri', d, 400, { redirectable });
/** RFC 9449 §5: at the token and PAR endpoints. */
export const invalidDpopProof = (d: string) => new OAuthError('invalid_dpop_proof', d, 400);
/** RFC 9449 §8: the client must retry with the nonce in the DPoP-Nonce header. */
export const useDpopNonce = (d: string, nonce: string) =>
  new OAuthError('use_dpop_nonce', d, 400, { headers: { 'DPoP-Nonce': nonce } });
/** RFC 6750 §3.1 */
export const invalidToken = (d: string) => new OAuthError('invalid_token', d, 401);
/** RFC 6750 §3.1 */
export const insufficientScope = (d: string) => new OAuthError('insufficient_scope', d, 403);
/** RFC 6749 §5.2 (RFC 7009 §2.2.1 for revocation) */
export const unsupportedTokenType = (d: string) => new OAuthError('unsupported_token_type', d, 400);
/** RFC 6749 §4.1.2.1: used for conditions the server cannot blame on the client (overload). */
export const temporarilyUnavailable = (d: string) =>
  new OAuthError('temporarily_unavailable', d, 503, { redirectable: true });
/** RFC 6749 §4.1.2.1: a failure of the server itself; never used for bad input. */
export const serverError = (d = 'the server met an unexpected condition', cause?: unknown) =>
  new OAuthError('server_error', d, 500, { redirectable: true, cause });

export const isOAuthError = (e: unknown): e is OAuthError => e instanceof OAuthError;
