import { html } from './html';
import type { Locale } from './locale';
import { renderDocument } from './page-document';
import { text, translate } from './translate';

export interface StillSignedInPageModel {
  locale: Locale;
}

/**
 * After `decision=cancel` on the logout confirmation (OpenID Connect RP-Initiated Logout 1.0 §2:
 * the End-User may decline): the session is kept, and the page must not claim otherwise.
 */
export function renderStillSignedInPage({ locale }: StillSignedInPageModel): string {
  const body = html`<p>${translate(locale, 'stillSignedInBody')}</p>`;
  return renderDocument({ locale, title: text(locale, 'stillSignedInTitle'), body });
}
