import { isOnOrigin, type LabOrigins } from './origins';

export type NavigationDecision = 'allow' | 'deny';

/**
 * `will-navigate` / `will-redirect`: a window of the lab may only ever show the lab's own origins —
 * the lab UI and the provider's pages (login, consent, logout), whose redirects come back to the lab.
 * Anything else would put remote content in a window that holds the lab bridge.
 * (Electron security checklist: "Disable or limit navigation", "Only load secure content".)
 */
export function decideNavigation(url: string, origins: LabOrigins): NavigationDecision {
  return isOnOrigin(url, [origins.labOrigin, origins.issuer]) ? 'allow' : 'deny';
}
