import type { OAuthError } from '../domain/oauth-error';

/** What the authorization endpoint does next; the HTTP layer renders it. */
export type AuthorizationOutcome =
  /** RFC 6749 §4.1.2.1: the client or redirect_uri cannot be trusted: show an error, never redirect. */
  | { readonly kind: 'error_page'; readonly error: OAuthError }
  /** A 303 to the client's validated redirect_uri, with a code or an error (and `iss`, RFC 9207). */
  | { readonly kind: 'redirect'; readonly location: string }
  /** The user must log in. */
  | { readonly kind: 'login'; readonly interactionId: string }
  /** The user must consent to the requested scopes. */
  | { readonly kind: 'consent'; readonly interactionId: string; readonly scopes: readonly string[] };
