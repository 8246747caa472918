import { originOf, type LabOrigins } from './origins';

/**
 * The Content-Security-Policy of the lab UI in the desktop window, enforced (never report-only):
 * scripts only from the lab origin (no inline script, no eval), network only to the lab and the
 * provider (the demo client talks to the provider and its resource server), no plugins, no framing,
 * no <base> rewriting, forms only to the lab and the provider.
 * Inline styles stay allowed: Mermaid writes <style> into the SVG it renders.
 * (Electron security checklist: "Define a Content Security Policy".)
 */
export function buildLabContentSecurityPolicy(origins: LabOrigins): string {
  // Both must be real origins: a malformed one would otherwise end up as a bogus source expression.
  requireOrigin(origins.labOrigin);
  const issuer = requireOrigin(origins.issuer);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${issuer}`,
    "worker-src 'self'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action 'self' ${issuer}`,
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * For any other response in the window's session — the provider's JSON endpoints, redirects, error
 * bodies — when it carries no policy of its own: nothing may load, run or frame it.
 */
export const FALLBACK_CONTENT_SECURITY_POLICY =
  "default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export type ResponseHeaders = Record<string, string[]>;

/**
 * The headers of one response with the CSP the desktop shell enforces:
 * - lab origin: the lab UI policy is added (a policy the lab server sent stays too; both apply);
 * - anything else (the provider): its own policy is kept when it has one — the provider's pages
 *   send a tailored, stricter one (a hashed style, form-action to the redirect_uri) that a second
 *   generic policy would only break — and the fallback is added when it has none.
 */
export function withContentSecurityPolicy(
  url: string,
  headers: ResponseHeaders | undefined,
  origins: LabOrigins,
): ResponseHeaders {
  const result: ResponseHeaders = { ...(headers ?? {}) };
  const existingKey = Object.keys(result).find((k) => k.toLowerCase() === 'content-security-policy');
  const existing = existingKey === undefined ? [] : (result[existingKey] ?? []);
  if (existingKey !== undefined) delete result[existingKey];

  const isLab = originOf(url) !== null && originOf(url) === originOf(origins.labOrigin);
  if (isLab) {
    result['Content-Security-Policy'] = [...existing, buildLabContentSecurityPolicy(origins)];
  } else if (existing.length > 0) {
    result['Content-Security-Policy'] = existing;
  } else {
    result['Content-Security-Policy'] = [FALLBACK_CONTENT_SECURITY_POLICY];
  }
  return result;
}

function requireOrigin(value: string): string {
  const origin = originOf(value);
  if (origin === null) throw new TypeError(`not an http(s) origin: ${value}`);
  return origin;
}
