// Small readers for the pages' markup in tests. They rely on what the templates guarantee:
// attributes are always double-quoted and values escaped, so `>` never occurs inside a tag.

export type Attributes = Record<string, string>;

function decode(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attributesOf(tag: string): Attributes {
  const attributes: Attributes = {};
  // Each match consumes a whole quoted value, so text inside a value is never read as an attribute.
  for (const match of tag.matchAll(/\s+([^\s="/]+)(?:="([^"]*)")?/g)) {
    const name = match[1];
    if (name !== undefined) attributes[name] = decode(match[2] ?? '');
  }
  return attributes;
}

/** Every `<tag …>` start tag's attributes, in document order. */
export function elements(page: string, tag: string): Attributes[] {
  return [...page.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))].map((m) => attributesOf(m[1] ?? ''));
}

/** The text between `<tag …>` and `</tag>` for each occurrence, markup stripped, entities decoded. */
export function textsOf(page: string, tag: string): string[] {
  return [...page.matchAll(new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) =>
    decode((m[1] ?? '').replace(/<[^>]*>/g, '')).trim(),
  );
}

/** The visible text of the body, for "does this sentence appear" assertions. */
export function bodyText(page: string): string {
  const body = /<body>([\s\S]*)<\/body>/.exec(page)?.[1] ?? '';
  return decode(body.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

/** A page is script-free: no script element, no event-handler attribute, no javascript: URL. */
export function hasNoScript(page: string): boolean {
  if (/<script/i.test(page)) return false;
  const tags = [...page.matchAll(/<[a-z][a-z0-9]*\b([^>]*)>/gi)].map((m) => attributesOf(m[1] ?? ''));
  return tags.every((attributes) =>
    Object.entries(attributes).every(
      ([name, value]) => !/^on/i.test(name) && !/^\s*javascript:/i.test(value),
    ),
  );
}
