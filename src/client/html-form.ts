/**
 * A small HTML form reader for the headless login (Node has no DOM). It understands what the
 * provider's pages contain: `<form method action>`, `<input name value type>` and
 * `<button name value>`; attribute values may be quoted either way or unquoted, and carry entities.
 */

export interface HtmlFormField {
  name: string;
  value: string;
  type: string;
}

export interface HtmlFormButton {
  name: string;
  value: string;
}

export interface HtmlForm {
  method: string;
  /** Resolved against the page URL (HTML §4.10.21.3: an empty action is the page itself). */
  action: string;
  fields: HtmlFormField[];
  buttons: HtmlFormButton[];
}

const namedEntities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Decodes the character references an attribute value may hold (named basics, decimal, hex). */
export function decodeHtmlEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return namedEntities[ref.toLowerCase()] ?? whole;
  });
}

/** The attributes of one start tag (the text between the tag name and `>`). */
export function parseAttributes(tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  const pattern = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (const match of tag.matchAll(pattern)) {
    const name = match[1]!.toLowerCase();
    if (name in attributes) continue; // HTML: the first occurrence wins.
    attributes[name] = decodeHtmlEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attributes;
}

/** Every `<form>` of a page, in order. */
export function parseForms(html: string, pageUrl: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  const formPattern = /<form\b([^>]*)>([\s\S]*?)<\/form\s*>/gi;
  for (const formMatch of html.matchAll(formPattern)) {
    const formAttributes = parseAttributes(formMatch[1] ?? '');
    const inner = formMatch[2] ?? '';
    const fields: HtmlFormField[] = [];
    for (const input of inner.matchAll(/<input\b([^>]*)>/gi)) {
      const attributes = parseAttributes(input[1] ?? '');
      const type = (attributes.type ?? 'text').toLowerCase();
      if (attributes.name === undefined || 'disabled' in attributes) continue;
      // Unchecked boxes are not submitted (HTML §4.10.21.4); submit inputs only when clicked.
      if ((type === 'checkbox' || type === 'radio') && !('checked' in attributes)) continue;
      if (type === 'submit' || type === 'image' || type === 'button' || type === 'reset') continue;
      fields.push({ name: attributes.name, value: attributes.value ?? '', type });
    }
    const buttons: HtmlFormButton[] = [];
    for (const button of inner.matchAll(/<button\b([^>]*)>/gi)) {
      const attributes = parseAttributes(button[1] ?? '');
      if (attributes.name === undefined || (attributes.type ?? 'submit').toLowerCase() !== 'submit') continue;
      buttons.push({ name: attributes.name, value: attributes.value ?? '' });
    }
    for (const input of inner.matchAll(/<input\b([^>]*)>/gi)) {
      const attributes = parseAttributes(input[1] ?? '');
      if ((attributes.type ?? '').toLowerCase() === 'submit' && attributes.name !== undefined) {
        buttons.push({ name: attributes.name, value: attributes.value ?? '' });
      }
    }
    forms.push({
      method: (formAttributes.method ?? 'get').toUpperCase(),
      action: new URL(formAttributes.action ?? '', pageUrl).href,
      fields,
      buttons,
    });
  }
  return forms;
}

/** What submitting a form sends (HTML §4.10.21.3): a POST with the form data, or a GET with it as the query. */
export interface FormSubmission {
  method: 'GET' | 'POST';
  url: string;
  body?: URLSearchParams;
}

/** `form` submitted with its own fields' values, `values` set on top (a button's name and value among them). */
export function formSubmission(form: HtmlForm, values: Readonly<Record<string, string>>): FormSubmission {
  const data = new URLSearchParams(form.fields.map((field) => [field.name, field.value]));
  for (const [name, value] of Object.entries(values)) data.set(name, value);
  if (form.method === 'POST') return { method: 'POST', url: form.action, body: data };
  const url = new URL(form.action);
  for (const [name, value] of data) url.searchParams.append(name, value);
  return { method: 'GET', url: url.href };
}
