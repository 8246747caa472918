/**
 * What the lab never keeps, even in its own store: the end-user's password (typed on the login page)
 * and the login session cookie. They are not OAuth protocol elements — nothing in the inspector
 * teaches with them — and the provider itself stores the one only as a bcrypt hash and the other only
 * as a SHA-256 hash (DESIGN.md, "Security defaults"). Client secrets, codes and tokens are kept: showing
 * them is what the lab is for, and they stay inside the lab store and API.
 */
export const REDACTED = '[redacted by the lab]';

const PASSWORD_FIELD = /(^|&)password=[^&]*/g;
const SESSION_COOKIE = /(^|[;\s,])(trusty_session=)[^;,\s]*/g;

/** A form-encoded body with the `password` field's value replaced. */
export const redactPasswordField = (body: string): string =>
  body.includes('password=')
    ? body.replace(PASSWORD_FIELD, `$1password=${encodeURIComponent(REDACTED)}`)
    : body;

/** A Cookie or Set-Cookie header value with the login session cookie's value replaced. */
export const redactSessionCookie = (value: string): string =>
  value.includes('trusty_session=')
    ? value.replace(SESSION_COOKIE, `$1$2${encodeURIComponent(REDACTED)}`)
    : value;
