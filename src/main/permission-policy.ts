/**
 * setPermissionRequestHandler / setPermissionCheckHandler: the lab needs no browser permission
 * (camera, notifications, geolocation, clipboard-read, HID, …), so every request and every check is
 * refused, whatever the origin. Electron's default is to grant them all.
 * (Electron security checklist: "Handle session permission requests from remote content".)
 */
export function decidePermission(_permission: string, _requestingOrigin: string): boolean {
  return false;
}
