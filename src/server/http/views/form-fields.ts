import { html, type SafeHtml } from './html';

/** Name of the hidden input that carries the CSRF token on every provider form. */
export const CSRF_FIELD = 'csrf_token';

/**
 * Names the pages set themselves. A hidden field of the same name could outvote the user: a hidden
 * `decision=allow` beside the Deny button, or a second csrf_token, so such entries are dropped.
 */
const reservedFieldNames = new Set([CSRF_FIELD, 'username', 'password', 'decision']);

/** The hidden inputs of a form: the CSRF token first, then the carried fields (request_uri, …). */
export function hiddenInputs(csrfToken: string, hiddenFields: Readonly<Record<string, string>>): SafeHtml {
  const carried = Object.entries(hiddenFields).filter(([name]) => !reservedFieldNames.has(name));
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${csrfToken}" />${carried.map(
      ([name, value]) => html` <input type="hidden" name="${name}" value="${value}" />`,
    )}`;
}

/**
 * A form's action must be this provider's own path or an http(s) URL; anything else (`javascript:`,
 * `//evil.example`) is a programming error, refused before it reaches a page. form-action in the
 * CSP would block it too; this keeps the page itself honest.
 */
export function formAction(action: string): string {
  if (/^\/(?![/\\])/.test(action)) return action;
  if (/^https?:\/\//i.test(action)) {
    try {
      new URL(action);
      return action;
    } catch {
      // fall through to the refusal
    }
  }
  throw new TypeError('form action must be a same-origin path or an http(s) URL');
}
