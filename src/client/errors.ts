import type { ClientCheckResult } from './client-check';

/**
 * The provider answered with an OAuth error response (RFC 6749 §5.2, §4.1.2.1; RFC 6750 §3;
 * RFC 9449 §7.1). The demo client surfaces it as it came, so the UI can show what the server said.
 */
export class OAuthResponseError extends Error {
  readonly error: string;
  readonly error_description: string | undefined;
  /** HTTP status, or null for an error delivered to the redirect_uri. */
  readonly status: number | null;
  /** The `WWW-Authenticate` header, when the error came in it (resource server, userinfo). */
  readonly wwwAuthenticate: string | undefined;

  constructor(
    error: string,
    error_description: string | undefined,
    status: number | null,
    wwwAuthenticate?: string,
  ) {
    super(error_description ? `${error}: ${error_description}` : error);
    this.name = 'OAuthResponseError';
    this.error = error;
    this.error_description = error_description;
    this.status = status;
    this.wwwAuthenticate = wwwAuthenticate;
  }
}

/** A rule the client holds the provider to was broken (a wrong `iss`, a bad ID token signature…). */
export class ClientCheckError extends Error {
  readonly check: ClientCheckResult;

  constructor(check: ClientCheckResult) {
    super(`${check.id} failed (${check.ref}): ${check.detail ?? check.description}`);
    this.name = 'ClientCheckError';
    this.check = check;
  }
}

/** The exchange could not be made or answered in a shape no spec allows (not JSON, no status). */
export class ClientProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientProtocolError';
  }
}
