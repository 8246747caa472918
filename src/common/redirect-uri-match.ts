/**
 * How the provider matches a redirect URI against the registered ones, shared with the lab UI, which
 * tells before a flow whether the provider will take its callback for a client.
 */

/** RFC 8252 §7.3: a loopback IP literal, as URL gives a hostname (§8.3: `localhost` is NOT RECOMMENDED). */
export const isLoopbackIpLiteral = (hostname: string): boolean =>
  hostname === '127.0.0.1' || hostname === '[::1]';

/**
 * A loopback redirect URI with its port part taken out (`http://127.0.0.1:53123/cb` becomes
 * `http://127.0.0.1/cb`). Undefined for any other URI, and for a port that is not 1–65535 written
 * without leading zeros.
 */
const LOOPBACK_AUTHORITY = /^(http:\/\/(?:127\.0\.0\.1|\[::1\]))(?::([1-9]\d{0,4}))?(?=[/?#]|$)/;
export function withoutLoopbackPort(uri: string): string | undefined {
  const match = LOOPBACK_AUTHORITY.exec(uri);
  if (!match?.[1] || Number(match[2] ?? 0) > 65535) return undefined;
  return match[1] + uri.slice(match[0].length);
}

/**
 * Is `requested` one of the client's registered redirect URIs? RFC 6749 §3.1.2.3, OIDC Core §3.1.2.1
 * and FAPI 2.0 SP §5.3.2.2: exact string comparison (RFC 3986 §6.2.1) — except that, for loopback IP
 * literals, RFC 8252 §7.3 requires the server to allow any port, since a native app (or the lab's own
 * demo client) cannot know its port in advance. Only the port is taken out of both strings; the rest
 * is still compared as a string. A URL parser would also take `http://127.1/cb`,
 * `http://0x7f000001/cb`, `HTTP://127.0.0.1/cb`, `http://:pw@127.0.0.1/cb` or `/x/../cb` for the same
 * place: none of them is the registered string.
 */
export function isRegisteredRedirectUri(requested: string, registered: readonly string[]): boolean {
  if (registered.includes(requested)) return true;
  const portless = withoutLoopbackPort(requested);
  return (
    portless !== undefined && registered.some((candidate) => withoutLoopbackPort(candidate) === portless)
  );
}
