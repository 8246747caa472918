import { html, raw, type SafeHtml } from './html';
import type { Locale } from './locale';
import { pageStyle } from './page-style';
import { text, translate } from './translate';

// The product mark: decorative (aria-hidden), inline so it needs no img-src under the CSP.
const mark = raw(
  '<svg class="mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">' +
    '<path fill="currentColor" d="M12 2 4 5v6.1c0 5 3.4 9.7 8 10.9 4.6-1.2 8-5.9 8-10.9V5l-8-3Zm0 2.2 6 2.2v4.7c0 3.9-2.5 7.6-6 8.8-3.5-1.2-6-4.9-6-8.8V6.4l6-2.2Z"/>' +
    '<path fill="currentColor" d="m10.6 14.6-2.5-2.5 1.4-1.4 1.1 1.1 3.9-3.9 1.4 1.4-5.3 5.3Z"/>' +
    '</svg>',
);

// Built outside the template so formatting of the template never changes the hashed text.
const styleElement = raw(`<style>${pageStyle}</style>`);

export interface PageDocument {
  locale: Locale;
  /** Page heading, also the start of the document title. */
  title: string;
  /** The content of the card inside `<main>`, after the heading. */
  body: SafeHtml;
}

/**
 * An escape, not the character: a tagged template's text reaches the bundle as written, and the
 * command's bundle must stay ASCII (scripts/build-cli.mjs says why).
 */
const EN_DASH = '\u2013';

/**
 * The whole HTML document of a provider page: lang attribute, one banner, one main landmark with a
 * single h1, one contentinfo. No script element, no external resource, and no referrer, since the
 * page URL may carry a request_uri (RFC 9126 §4) the next site has no business seeing.
 */
export function renderDocument({ locale, title, body }: PageDocument): string {
  const product = text(locale, 'productName');
  return `<!doctype html>\n${html`<html lang="${locale}" dir="ltr">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="light dark" />
      <meta name="referrer" content="no-referrer" />
      <meta name="robots" content="noindex, nofollow" />
      <title>${title} ${EN_DASH} ${product}</title>
      ${styleElement}
    </head>
    <body>
      <header>
        ${mark}
        <div>
          <div class="brand">${product}</div>
          <div class="tagline">${translate(locale, 'productTagline')}</div>
        </div>
      </header>
      <main>
        <div class="card">
          <h1>${title}</h1>
          ${body}
        </div>
      </main>
      <footer><p>${translate(locale, 'footerNote')}</p></footer>
    </body>
  </html> `}`;
}
