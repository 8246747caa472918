import { isOnOrigin } from './origins';

/**
 * Every IPC message is answered only when it comes from the lab UI: the sending frame's URL must be
 * on the lab origin. A provider page in the login window, or any frame that somehow got elsewhere,
 * gets nothing — least of all the lab secret.
 * (Electron security checklist: "Validate the sender of all IPC messages".)
 */
export function isTrustedSender(senderFrameUrl: string | undefined | null, labOrigin: string): boolean {
  if (!senderFrameUrl) return false;
  return isOnOrigin(senderFrameUrl, [labOrigin]);
}
