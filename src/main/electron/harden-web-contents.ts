import { shell, type WebContents } from 'electron';
import { isSafeExternalUrl } from '../external-url';
import type { LabOrigins } from '../origins';
import { guardWebContents, type GuardedContents } from '../web-contents-guards';

export interface HardeningContext {
  origins(): LabOrigins | null;
  isPackaged: boolean;
}

/** Hands a web link to the system browser, after checking it is one (external-url.ts). */
export function openExternalSafely(url: string): void {
  if (!isSafeExternalUrl(url)) return;
  shell.openExternal(url).catch(() => undefined);
}

/** Electron adapter of web-contents-guards.ts. */
export function hardenWebContents(contents: WebContents, context: HardeningContext): void {
  // WebContents's `on` is a list of per-event overloads, which TypeScript cannot match structurally
  // against one signature; the events and the `url` field used are those of Electron 45's typings.
  guardWebContents(contents as unknown as GuardedContents, { ...context, openExternal: openExternalSafely });
}
