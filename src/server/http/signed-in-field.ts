import type { SignedInUser } from '../application/authorization-outcome';

/**
 * The consent form's hidden field naming the user the page was shown to, sent back with the answer so
 * that the answer is counted for that user only (grantConsent). Not a secret, and not trusted for
 * more than that: it must match the browser's live session, which the cookie names.
 */
export const SIGNED_IN_FIELD = 'signed_in';

/** `authTime.sub`: the login's time first, so that a `sub` holding dots reads back whole. */
export const signedInFieldValue = (user: SignedInUser): string => `${user.authTime}.${user.sub}`;

export function parseSignedInField(value: unknown): SignedInUser | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{1,15})\.(.+)$/s.exec(value);
  if (!match?.[1] || match[2] === undefined) return undefined;
  return { authTime: Number(match[1]), sub: match[2] };
}
