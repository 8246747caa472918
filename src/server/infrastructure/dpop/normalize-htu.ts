/**
 * The form in which an `htu` and the request URI are compared (RFC 9449 §4.3 (9)): without query and
 * fragment, normalised as RFC 3986 §6.2.2 and §6.2.3 describe — scheme and host lower-cased, the
 * default port dropped, an empty path made `/`, dot segments removed, percent-encodings of unreserved
 * characters decoded and the others upper-cased. A user-info part is kept: no normalisation removes
 * it, so `http://u:p@host/token` is not the URI of a request to `http://host/token`. Returns undefined
 * for anything but an absolute http(s) URI.
 */
export function normalizeHtu(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  // The WHATWG parser already lower-cases scheme and host, drops default ports and dot segments.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const userInfo = url.username || url.password ? `${url.username}:${url.password}@` : '';
  return `${url.protocol}//${userInfo}${url.host}${normalizePercentEncoding(url.pathname)}`;
}

const UNRESERVED = /[A-Za-z0-9._~-]/;

// RFC 3986 §6.2.2.1 and §6.2.2.2
function normalizePercentEncoding(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}
