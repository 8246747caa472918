export { isLoopbackIpLiteral, isRegisteredRedirectUri } from '../../common/redirect-uri-match';

/** Adds response parameters to a redirect URI's query, keeping its own (RFC 6749 §3.1.2). */
export function withQuery(uri: string, params: Readonly<Record<string, string | undefined>>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.append(name, value);
  }
  return url.toString();
}
