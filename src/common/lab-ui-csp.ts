/**
 * The Content-Security-Policy of the lab UI, one policy for both shells: the lab server sends it with
 * the UI (web mode), and the desktop window enforces the same (Electron security checklist, "Define
 * a Content Security Policy"). Scripts only from the lab origin (no inline script, no eval); network
 * and forms only to the lab and the provider (the demo client talks to the provider and its resource
 * server); no plugins, no frames, no framing, no <base> rewriting. Inline styles stay allowed:
 * Mermaid writes <style> into the SVG it renders. `issuerOrigin` must be an origin (checked by the
 * callers), or empty while the provider's origin is not known yet.
 */
export function labUiContentSecurityPolicy(issuerOrigin: string): string {
  const issuer = issuerSource(issuerOrigin);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${issuer}`.trim(),
    "worker-src 'self'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action 'self' ${issuer}`.trim(),
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The provider's origin as a source expression. CSP's host-source grammar (CSP Level 3 §2.3.1) has
 * no form for an IPv6 literal: Chromium ignores `http://[::1]:8080` as invalid, and the demo client
 * could then reach nothing (`serve --host ::1`). A provider on one is named by its scheme and port
 * on any host, the narrowest source that still matches it (the provider's pages do the same for a
 * redirect URI on [::1], page-csp.ts).
 */
function issuerSource(origin: string): string {
  const ipv6 = /^(https?):\/\/\[[0-9a-f:.]+\](?::(\d+))?$/i.exec(origin);
  if (!ipv6) return origin;
  const [, scheme, port] = ipv6;
  return `${scheme}://*:${port ?? (scheme === 'https' ? '443' : '80')}`;
}
