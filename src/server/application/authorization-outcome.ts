import type { OAuthError } from '../domain/oauth-error';

/** What the authorization endpoint does next; the HTTP layer renders it. */
export type AuthorizationOutcome =
  /** RFC 6749 §4.1.2.1: the client or redirect_uri cannot be trusted: show an error, never redirect. */
  | { readonly kind: 'error_page'; readonly error: OAuthError }
  /** A 303 to the client's validated redirect_uri, with a code or an error (and `iss`, RFC 9207). */
  | { readonly kind: 'redirect'; readonly location: string }
  /** The user must log in. */
  | { readonly kind: 'login'; readonly interactionId: string }
  /** The user the browser's session names must consent to the requested scopes. */
  | {
      readonly kind: 'consent';
      readonly interactionId: string;
      readonly scopes: readonly string[];
      readonly signedIn: SignedInUser;
    };

/** Who the browser's live session is, as the consent page shows it and its answer names it again. */
export interface SignedInUser {
  readonly sub: string;
  /** Seconds (NumericDate): two logins of one user are told apart by it. */
  readonly authTime: number;
}
