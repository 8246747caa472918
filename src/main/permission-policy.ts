/**
 * setPermissionRequestHandler / setPermissionCheckHandler: Electron's default is to grant every
 * permission. The lab needs one: writing text to the clipboard (the inspector's copy buttons), and
 * only for the lab's own origin. Everything else (camera, notifications, geolocation, clipboard-read,
 * HID, …) is refused, whatever the origin.
 * (Electron security checklist: "Handle session permission requests from remote content".)
 */
export function decidePermission(
  permission: string,
  requestingUrl: string,
  labOrigin: string | undefined,
): boolean {
  if (permission !== 'clipboard-sanitized-write' || labOrigin === undefined) return false;
  try {
    return new URL(requestingUrl).origin === labOrigin;
  } catch {
    return false;
  }
}
