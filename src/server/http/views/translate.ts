import { html, type HtmlValue, type SafeHtml } from './html';
import type { MessageKey } from './messages/catalogs';
import { messagesFor } from './messages/catalogs';
import type { Locale } from './locale';

/**
 * Fills a catalog string's `{name}` placeholders. The catalog text and every value are escaped
 * alike, so a translation can never inject markup; a value that is itself a SafeHtml (our own
 * `<strong>` around a client name) passes through. Unknown placeholders are left as written.
 */
export function translate(locale: Locale, key: MessageKey, params: Record<string, HtmlValue> = {}): SafeHtml {
  const template = messagesFor(locale)[key];
  const parts = template.split(/(\{[A-Za-z]+\})/);
  return html`${parts.map((part) => {
    const name = /^\{([A-Za-z]+)\}$/.exec(part)?.[1];
    return name !== undefined && Object.hasOwn(params, name) ? html`${params[name]}` : html`${part}`;
  })}`;
}

/** The plain text of a catalog string, for places that are not markup (the document title). */
export function text(locale: Locale, key: MessageKey): string {
  return messagesFor(locale)[key];
}
