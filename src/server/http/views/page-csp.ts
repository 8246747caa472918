import { pageStyleHash } from './page-style';

/**
 * The CSP source expression that lets a form post (or be redirected) to `target`. Browsers apply
 * form-action to the redirects that follow a submission too (CSP Level 3, form-action), so the pages'
 * `action` is 'self' but the client's redirect_uri, where the 303 goes, must be allowed as well.
 * Paths are not matched after a redirect, so an origin is as precise as a source can usefully be;
 * a private-use scheme (RFC 8252 §7.1, `com.example.app:/cb`) becomes a scheme source.
 */
export function formActionSource(target: string): string {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new TypeError('form action target is not an absolute URL');
  }
  if (url.protocol === 'http:' && url.hostname === '[::1]') {
    // CSP host-sources cannot express an IPv6 literal, yet RFC 8252 §7.3 loopback redirect URIs may
    // use one: the scheme is the narrowest source that still lets the 303 reach the client.
    return 'http:';
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    // WHATWG URL accepts `;`, `,` and quotes in a host, which would end the directive or the header
    // value; CSP Level 3's host-source grammar allows letters, digits, `-` and dots only.
    if (!/^[a-z0-9-]+(?:\.[a-z0-9-]+)*$/.test(url.hostname)) {
      throw new TypeError('form action target has a host a CSP source cannot express');
    }
    return url.origin;
  }
  // A scheme is letters, digits, + - . only (RFC 3986 §3.1), so it cannot break out of the header.
  if (
    /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) &&
    url.protocol !== 'javascript:' &&
    url.protocol !== 'data:'
  ) {
    return url.protocol;
  }
  throw new TypeError('form action target has an unusable scheme');
}

/**
 * The Content-Security-Policy header value for the provider's pages: nothing may load or run
 * (`default-src 'none'`, so no script at all), the one inline stylesheet is allowed by its hash,
 * forms post only to this origin and the given redirect targets, and no site may frame the pages
 * (clickjacking of the consent button, RFC 6819 §4.4.1.9). `formActionSources` are made by
 * formActionSource, which refuses a target no source can safely express.
 */
export function pageCsp(formActionSources: readonly string[]): string {
  const sources = [...new Set(["'self'", ...formActionSources])];
  return [
    "default-src 'none'",
    `style-src ${pageStyleHash}`,
    `form-action ${sources.join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}
