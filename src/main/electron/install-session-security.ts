import type { Session } from 'electron';
import { withContentSecurityPolicy } from '../content-security-policy';
import type { LabOrigins } from '../origins';
import { decidePermission } from '../permission-policy';
import { decideRequest } from '../request-policy';

/**
 * The window session's guards: every request checked against the lab's origins, a CSP added to
 * every response, every permission refused but clipboard writes by the lab UI (request, check and device pickers alike).
 */
export function installSessionSecurity(session: Session, origins: () => LabOrigins | null): void {
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: decideRequest(details.url, origins()) === 'cancel' });
  });

  session.webRequest.onHeadersReceived((details, callback) => {
    const current = origins();
    if (current === null) {
      callback({ cancel: true });
      return;
    }
    callback({ responseHeaders: withContentSecurityPolicy(details.url, details.responseHeaders, current) });
  });

  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    callback(decidePermission(permission, details.requestingUrl, origins()?.labOrigin));
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) =>
    decidePermission(permission, requestingOrigin, origins()?.labOrigin),
  );
  session.setDevicePermissionHandler(() => false);
}
