/**
 * What the provider stores. Times are milliseconds since the epoch (the server's Clock); JWTs
 * convert to NumericDate seconds at the edge. Handles given to clients (codes, refresh tokens,
 * request_uris, session ids) are stored only as SHA-256 hashes (`…Hash`, base64url).
 */

/** RFC 9126 §2: an authorization request pushed to the PAR endpoint. */
export interface PushedRequest {
  readonly requestUriHash: string;
  readonly clientId: string;
  /** The validated authorization request parameters, as pushed. */
  readonly params: Readonly<Record<string, string>>;
  /** RFC 9449 §10: the DPoP key thumbprint the code will be bound to, from `dpop_jkt` or the proof. */
  readonly dpopJkt?: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly consumedAt?: number;
}

/** The authorization a user gave a client; codes, access and refresh tokens hang from it. */
export interface Grant {
  readonly id: string;
  readonly clientId: string;
  /** Absent for client_credentials. */
  readonly sub?: string;
  readonly scope: string;
  readonly createdAt: number;
  readonly revokedAt?: number;
}

/** RFC 6749 §4.1.2 */
export interface AuthorizationCode {
  readonly codeHash: string;
  readonly grantId: string;
  readonly clientId: string;
  readonly sub: string;
  readonly redirectUri: string;
  /** RFC 7636 §4.3; only S256 is accepted. */
  readonly codeChallenge: string;
  readonly codeChallengeMethod: 'S256';
  readonly scope: string;
  readonly nonce?: string;
  /** Seconds (NumericDate), for the ID token's `auth_time`. */
  readonly authTime: number;
  readonly amr?: readonly string[];
  readonly acr?: string;
  /** OpenID Connect Core §3.1.2.1: `max_age` was sent, so `auth_time` is required in the ID token. */
  readonly authTimeRequired: boolean;
  /** RFC 9449 §10 */
  readonly dpopJkt?: string;
  readonly sessionId?: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly consumedAt?: number;
}

export interface RefreshToken {
  readonly tokenHash: string;
  readonly grantId: string;
  readonly clientId: string;
  readonly sub: string;
  readonly scope: string;
  /** RFC 9449 §5: the DPoP key it is bound to (public clients), or the key of the access tokens. */
  readonly jkt?: string;
  readonly authTime: number;
  readonly amr?: readonly string[];
  readonly acr?: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly revokedAt?: number;
  /** Lab rotation option: when this token was replaced; it stays usable for the grace window. */
  readonly rotatedAt?: number;
}

/** The record of an issued JWT access token (RFC 9068), so that it can be revoked and introspected. */
export interface AccessTokenRecord {
  readonly jti: string;
  readonly grantId?: string;
  readonly clientId: string;
  readonly sub?: string;
  readonly scope: string;
  /** RFC 9449 §6: `cnf.jkt` */
  readonly jkt?: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly revokedAt?: number;
}

/** A login session at the provider (the browser's cookie names it). */
export interface Session {
  readonly idHash: string;
  readonly sub: string;
  /** Seconds (NumericDate). */
  readonly authTime: number;
  readonly amr: readonly string[];
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly endedAt?: number;
}

/** An authorization request in progress: between the authorization endpoint and the redirect back. */
export interface Interaction {
  readonly id: string;
  readonly clientId: string;
  /** The authorization request parameters, validated. */
  readonly params: Readonly<Record<string, string>>;
  /** RFC 9126 §4: the request_uri it came from, consumed only when the authorization completes. */
  readonly requestUriHash?: string;
  readonly dpopJkt?: string;
  /** Set once the user has logged in during this interaction. */
  readonly sub?: string;
  readonly authTime?: number;
  readonly createdAt: number;
  readonly expiresAt: number;
}
