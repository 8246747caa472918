/** A parsed form: one string per name, or every value in order when the name is repeated. */
export type FormFields = Record<string, string | string[]>;

export type FormParseResult =
  | { readonly ok: true; readonly fields: FormFields }
  | { readonly ok: false; readonly reason: 'not-utf8' | 'too-many-parameters' };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** WHATWG URL §5.1 step 3.3: `+` is a space, then the percent-encoded bytes are decoded. */
function decodeComponent(text: string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text;
  // decodeURIComponent throws on a sequence that is not %XX or whose bytes are not UTF-8.
  return spaced.includes('%') ? decodeURIComponent(spaced) : spaced;
}

/**
 * application/x-www-form-urlencoded parsing (WHATWG URL §5.1; RFC 6749 Appendix B), strict where
 * the standard is lenient: the body must be UTF-8, raw and once percent-decoded, or it is refused
 * whole — a byte replaced by U+FFFD would make the request fail further on, for a reason that hides
 * the real one.
 *
 * Names are kept as written (`a[b]` is a name, not an object path). A name given twice gets every
 * value, in order, so that the endpoints can refuse repeated parameters (RFC 6749 §3.1, §3.2). Empty
 * names are dropped. More than `maxParameters` `&`-separated parts are refused.
 */
export function parseFormUrlencoded(body: Buffer, maxParameters: number): FormParseResult {
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    return { ok: false, reason: 'not-utf8' };
  }
  const fields: FormFields = Object.create(null) as FormFields;
  if (text.length === 0) return { ok: true, fields };
  const parts = text.split('&');
  if (parts.length > maxParameters) return { ok: false, reason: 'too-many-parameters' };
  for (const part of parts) {
    if (part.length === 0) continue;
    const equals = part.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decodeComponent(equals < 0 ? part : part.slice(0, equals));
      value = equals < 0 ? '' : decodeComponent(part.slice(equals + 1));
    } catch {
      return { ok: false, reason: 'not-utf8' };
    }
    if (name.length === 0) continue;
    const earlier = fields[name];
    if (earlier === undefined) fields[name] = value;
    else if (typeof earlier === 'string') fields[name] = [earlier, value];
    else earlier.push(value);
  }
  return { ok: true, fields };
}
