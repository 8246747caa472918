import { formAction, hiddenInputs } from './form-fields';
import { html, raw, type SafeHtml } from './html';
import type { Locale } from './locale';
import { renderDocument } from './page-document';
import { text, translate } from './translate';

export type LoginError = 'invalid_credentials' | 'throttled';

export interface LoginPageModel {
  locale: Locale;
  clientName: string;
  /** Where the form posts (the provider's login endpoint). */
  action: string;
  /** Fields carried through the login (e.g. the interaction's request_uri). */
  hiddenFields: Record<string, string>;
  /** Prefilled after a failed attempt, so the user only retypes the password. */
  username?: string;
  error?: LoginError;
  /** With `throttled`: when to try again (the Retry-After the server sends). */
  retryAfterSeconds?: number;
  csrfToken: string;
}

/**
 * One message for every wrong-credential case, whatever was wrong, so the page cannot be used to
 * find out which usernames exist (user enumeration; OWASP Authentication Cheat Sheet, "Authentication
 * and Error Messages").
 */
function errorMessage(locale: Locale, error: LoginError, retryAfterSeconds: number | undefined): SafeHtml {
  if (error === 'invalid_credentials') return translate(locale, 'loginInvalidCredentials');
  if (retryAfterSeconds === undefined || !Number.isFinite(retryAfterSeconds) || retryAfterSeconds <= 0) {
    return translate(locale, 'loginThrottled');
  }
  const seconds = Math.ceil(retryAfterSeconds);
  const plural = new Intl.PluralRules(locale).select(seconds);
  return translate(locale, plural === 'one' ? 'loginThrottledRetryOne' : 'loginThrottledRetryOther', {
    seconds,
  });
}

/** The sign-in form: username, password, hidden fields, one submit button. No script. */
export function renderLoginPage(model: LoginPageModel): string {
  const { locale, clientName, username, error, retryAfterSeconds } = model;
  const describedBy = error ? ' aria-describedby="login-error"' : '';
  // Focus lands where the user types next: the password once the username is known.
  const focusUsername = username ? '' : ' autofocus';
  const focusPassword = username ? ' autofocus' : '';
  const body = html`<p class="lead">
      ${translate(locale, 'loginIntro', { clientName: html`<strong>${clientName}</strong>` })}
    </p>
    ${error ? html`<p class="alert" id="login-error" role="alert">${errorMessage(locale, error, retryAfterSeconds)}</p>` : ''}
    <form method="post" action="${formAction(model.action)}">
      ${hiddenInputs(model.csrfToken, model.hiddenFields)}
      <div class="field">
        <label for="username">${translate(locale, 'loginUsernameLabel')}</label>
        <input
          type="text"
          id="username"
          name="username"
          value="${username ?? ''}"
          autocomplete="username"
          autocapitalize="none"
          spellcheck="false"
          required${raw(describedBy + focusUsername)}
        />
      </div>
      <div class="field">
        <label for="password">${translate(locale, 'loginPasswordLabel')}</label>
        <input
          type="password"
          id="password"
          name="password"
          autocomplete="current-password"
          required${raw(describedBy + focusPassword)}
        />
      </div>
      <div class="actions">
        <button type="submit" class="primary">${translate(locale, 'loginSubmit')}</button>
      </div>
    </form>`;
  return renderDocument({ locale, title: text(locale, 'loginTitle'), body });
}
