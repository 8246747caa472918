/**
 * A minimal cookie jar for the headless login: enough for the provider's session and interaction
 * cookies on loopback. Keyed by origin host; honours Path prefixes, Max-Age=0 / past Expires as deletion.
 * Not a general RFC 6265 implementation (no domain cookies, no public-suffix rules).
 */
interface StoredCookie {
  name: string;
  value: string;
  host: string;
  path: string;
}

export class CookieJar {
  private cookies: StoredCookie[] = [];

  /** Stores the cookies of a response (`headers.getSetCookie()` in Node/undici). */
  storeFrom(url: string, headers: Headers): void {
    const { hostname, pathname } = new URL(url);
    const setCookies = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [];
    for (const line of setCookies) this.store(hostname, pathname, line);
  }

  store(host: string, requestPath: string, setCookie: string): void {
    const [pair = '', ...attributeParts] = setCookie.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let path = requestPath.slice(0, requestPath.lastIndexOf('/') + 1) || '/';
    let expired = false;
    for (const part of attributeParts) {
      const [rawKey = '', ...rest] = part.split('=');
      const key = rawKey.trim().toLowerCase();
      const attributeValue = rest.join('=').trim();
      if (key === 'path' && attributeValue.startsWith('/')) path = attributeValue;
      if (key === 'max-age' && Number(attributeValue) <= 0) expired = true;
      if (key === 'expires' && Date.parse(attributeValue) < Date.now()) expired = true;
    }
    this.cookies = this.cookies.filter((c) => !(c.name === name && c.host === host && c.path === path));
    if (!expired) this.cookies.push({ name, value, host, path });
  }

  /** The `Cookie` header value for a request to `url`, or undefined when none apply. */
  headerFor(url: string): string | undefined {
    const { hostname, pathname } = new URL(url);
    const matching = this.cookies.filter(
      (c) =>
        c.host === hostname &&
        (pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)),
    );
    if (matching.length === 0) return undefined;
    return matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }
}
