import { isSafeExternalUrl } from './external-url';
import { isOnOrigin, type LabOrigins } from './origins';

export type WindowOpenDecision =
  /** A child window onto the provider (login, consent), locked down like the main window. */
  | { action: 'login-window'; url: string }
  /** Not ours: the system browser shows it, outside the app. */
  | { action: 'external'; url: string }
  | { action: 'deny' };

/**
 * setWindowOpenHandler: the only window the lab UI may open is the provider's login window on the
 * issuer's own origin; other web links go to the system browser; everything else (javascript:,
 * file:, data:, custom schemes, the lab origin itself) is refused.
 * (Electron security checklist: "Disable or limit creation of new windows".)
 */
export function decideWindowOpen(url: string, origins: LabOrigins): WindowOpenDecision {
  if (isOnOrigin(url, [origins.issuer])) return { action: 'login-window', url };
  // A second lab window would be a second holder of the bridge; the lab UI has no use for one.
  if (isOnOrigin(url, [origins.labOrigin])) return { action: 'deny' };
  if (isSafeExternalUrl(url)) return { action: 'external', url };
  return { action: 'deny' };
}
