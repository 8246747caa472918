/** The web origins the desktop shell trusts: the lab (UI + lab API) and the provider (issuer). */
export interface LabOrigins {
  /** e.g. http://127.0.0.1:53123 */
  labOrigin: string;
  /** e.g. http://127.0.0.1:53122 */
  issuer: string;
}

/** The serialized origin of an absolute URL, or null when it has none (about:, data:, file:, garbage). */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return parsed.origin;
}

/** True when `url` is on exactly one of `origins` (scheme, host and port all equal). */
export function isOnOrigin(url: string, origins: readonly string[]): boolean {
  const origin = originOf(url);
  if (origin === null) return false;
  return origins.some((o) => originOf(o) === origin);
}
