import { localeOfTag, supportedLocales, type Locale } from './locale';

interface WeightedTag {
  tag: string;
  q: number;
  position: number;
}

// RFC 9110 §12.4.2: a weight is 0 to 1 with at most three decimals.
const qValue = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/** RFC 9110 §12.5.4: `Accept-Language: fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5`. Malformed items are ignored. */
function parseAcceptLanguage(header: string): WeightedTag[] {
  const tags: WeightedTag[] = [];
  header.split(',').forEach((item, position) => {
    const [range, ...params] = item.split(';').map((part) => part.trim());
    if (!range || !/^(?:\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$/.test(range)) return;
    let q = 1;
    for (const param of params) {
      const [name, value] = param.split('=').map((part) => part.trim());
      if (name?.toLowerCase() !== 'q') continue;
      if (value === undefined || !qValue.test(value)) return;
      q = Number(value);
    }
    tags.push({ tag: range, q, position });
  });
  // Highest weight first; equal weights keep the order the browser sent them in.
  return tags.sort((a, b) => b.q - a.q || a.position - b.position);
}

/**
 * Chooses the language of a provider page. OpenID Connect Core §3.1.2.1: `ui_locales` is the
 * End-User's preference for this request, a space-separated list in order of preference, so it
 * wins over the browser's Accept-Language; unsupported entries are skipped, not errors.
 * Then Accept-Language by q-value (q=0 means "not this one"); `*` and no match give the default.
 */
export function pickLocale(
  acceptLanguageHeader: string | null | undefined,
  uiLocalesParam: string | null | undefined,
  defaultLocale: Locale,
): Locale {
  for (const tag of (uiLocalesParam ?? '').split(' ')) {
    const locale = tag ? localeOfTag(tag) : undefined;
    if (locale) return locale;
  }
  const weighted = parseAcceptLanguage(acceptLanguageHeader ?? '');
  const refused = new Set(weighted.filter(({ q }) => q <= 0).map(({ tag }) => localeOfTag(tag)));
  for (const { tag, q } of weighted) {
    if (q <= 0) continue;
    // `*` accepts any language but not one the same header refused with q=0.
    if (tag === '*')
      return [defaultLocale, ...supportedLocales].find((l) => !refused.has(l)) ?? defaultLocale;
    const locale = localeOfTag(tag);
    if (locale && !refused.has(locale)) return locale;
  }
  return defaultLocale;
}
