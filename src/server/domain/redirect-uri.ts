/** RFC 8252 §7.3: a loopback IP literal, as URL gives a hostname (§8.3: `localhost` is NOT RECOMMENDED). */
export const isLoopbackIpLiteral = (hostname: string): boolean =>
  hostname === '127.0.0.1' || hostname === '[::1]';

/**
 * Is `requested` one of the client's registered redirect URIs? RFC 6749 §3.1.2.3 and FAPI 2.0 SP
 * §5.3.2.2: exact string comparison — except that, for loopback IP literals, RFC 8252 §7.3 requires
 * the server to allow any port, since a native app (or the lab's own demo client) cannot know its
 * port in advance.
 */
export function isRegisteredRedirectUri(requested: string, registered: readonly string[]): boolean {
  if (registered.includes(requested)) return true;
  let url: URL;
  try {
    url = new URL(requested);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' || !isLoopbackIpLiteral(url.hostname)) return false;
  return registered.some((candidate) => {
    const reg = new URL(candidate);
    if (reg.protocol !== 'http:' || reg.hostname !== url.hostname) return false;
    // Only the port may differ; path and query must match exactly (RFC 8252 §7.3).
    return reg.pathname === url.pathname && reg.search === url.search && !url.hash && !url.username;
  });
}

/** Adds response parameters to a redirect URI's query, keeping its own (RFC 6749 §3.1.2). */
export function withQuery(uri: string, params: Readonly<Record<string, string | undefined>>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.append(name, value);
  }
  return url.toString();
}
