/**
 * An issuer identifier given on the command line (`serve --issuer`), for a provider reached under
 * another name than the address it listens on: a reverse proxy, a port published under another
 * number, a machine's name on a network. RFC 8414 §2 and OpenID Connect Discovery 1.0 §3 (the issuer
 * is a URL without query or fragment) and §4.3 (it is compared as a string): the value must be the
 * exact origin this provider is reached at, since its endpoints are at the root of that origin and
 * clients compare the issuer exactly as written.
 */
export function parseIssuerIdentifier(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--issuer must be an absolute URL, like https://lab.example: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`--issuer must be an http or https URL: ${JSON.stringify(value)}`);
  }
  if (value !== url.origin) {
    throw new Error(
      `--issuer must be an origin exactly as written by URL rules (${url.origin}): no path, query, fragment or credentials, the host in lower case, no default port`,
    );
  }
  return value;
}
