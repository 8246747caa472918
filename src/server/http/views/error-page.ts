import { html } from './html';
import type { Locale } from './locale';
import { renderDocument } from './page-document';
import { text, translate } from './translate';

export interface ErrorPageModel {
  locale: Locale;
  /** Heading; a generic "could not be completed" when absent. */
  title?: string;
  /** The OAuth error code, e.g. `invalid_request`. */
  error: string;
  error_description: string;
}

/**
 * Shown in place of a redirect when the client or its redirect_uri cannot be trusted: RFC 6749
 * §4.1.2.1 says the server then informs the resource owner and must not redirect to the invalid URI.
 * The page says so, so the user does not wait to be sent back.
 */
export function renderErrorPage(model: ErrorPageModel): string {
  const { locale } = model;
  const title = model.title ?? text(locale, 'errorTitle');
  const body = html`<p class="alert" role="alert">${translate(locale, 'errorNotRedirected')}</p>
    <dl>
      <dt>${translate(locale, 'errorCode')}</dt>
      <dd><code>${model.error}</code></dd>
      ${
        model.error_description
          ? html`<dt>${translate(locale, 'errorDescription')}</dt>
              <dd>${model.error_description}</dd> `
          : ''
      }
    </dl>
    <p class="meta">${translate(locale, 'errorAdvice')}</p>`;
  return renderDocument({ locale, title, body });
}
