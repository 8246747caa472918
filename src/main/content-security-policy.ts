import { labUiContentSecurityPolicy } from '../common/lab-ui-csp';
import { originOf, type LabOrigins } from './origins';

/**
 * The lab UI's Content-Security-Policy (src/common/lab-ui-csp.ts, the same as in web mode), enforced
 * in the desktop window, never report-only (Electron security checklist: "Define a Content Security
 * Policy").
 */
export function buildLabContentSecurityPolicy(origins: LabOrigins): string {
  // Both must be real origins: a malformed one would otherwise end up as a bogus source expression.
  requireOrigin(origins.labOrigin);
  return labUiContentSecurityPolicy(requireOrigin(origins.issuer));
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
