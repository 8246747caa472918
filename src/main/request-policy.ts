import { isOnOrigin, type LabOrigins } from './origins';

export type RequestDecision = 'allow' | 'cancel';

/** Schemes that never leave the machine and that Chromium itself uses (dev tools, blob URLs). */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'devtools:', 'chrome-extension:']);

/**
 * session.webRequest.onBeforeRequest: the app's session talks to the lab and the provider on
 * loopback and to nothing else — no CDN, no font service, no remote script, no file: URL — so even
 * a markup injection in the lab UI cannot pull in or send out anything.
 * (Electron security checklist: "Only load secure content", "Avoid usage of the file:// protocol".)
 */
export function decideRequest(url: string, origins: LabOrigins | null): RequestDecision {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'cancel';
  }
  if (LOCAL_SCHEMES.has(parsed.protocol)) return 'allow';
  if (origins === null) return 'cancel';
  if (parsed.protocol === 'ws:' || parsed.protocol === 'wss:') {
    const http = new URL(url);
    http.protocol = parsed.protocol === 'ws:' ? 'http:' : 'https:';
    return isOnOrigin(http.href, [origins.labOrigin, origins.issuer]) ? 'allow' : 'cancel';
  }
  return isOnOrigin(url, [origins.labOrigin, origins.issuer]) ? 'allow' : 'cancel';
}
