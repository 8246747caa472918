import { html } from './html';
import type { Locale } from './locale';
import { renderDocument } from './page-document';
import { text, translate } from './translate';

export interface LoggedOutPageModel {
  locale: Locale;
}

/**
 * The end of a logout with no registered post_logout_redirect_uri to go to (OpenID Connect
 * RP-Initiated Logout 1.0 §3): the user is told they are signed out and stays here.
 */
export function renderLoggedOutPage({ locale }: LoggedOutPageModel): string {
  const body = html`<p>${translate(locale, 'loggedOutBody')}</p>`;
  return renderDocument({ locale, title: text(locale, 'loggedOutTitle'), body });
}
