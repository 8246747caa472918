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
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${issuerOrigin}`.trim(),
    "worker-src 'self'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action 'self' ${issuerOrigin}`.trim(),
    "frame-ancestors 'none'",
  ].join('; ');
}
