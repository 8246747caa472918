import { shell, type WebContents } from 'electron';
import { isSafeExternalUrl } from '../external-url';
import { decideNavigation } from '../navigation-policy';
import type { LabOrigins } from '../origins';
import { secureWebPreferences } from '../web-preferences';
import { decideWindowOpen } from '../window-open-policy';

export interface HardeningContext {
  /** The running lab's origins; null while it is (re)starting — then nothing is allowed. */
  origins(): LabOrigins | null;
  isPackaged: boolean;
}

/** Hands a web link to the system browser, after checking it is one (external-url.ts). */
export function openExternalSafely(url: string): void {
  if (!isSafeExternalUrl(url)) return;
  shell.openExternal(url).catch(() => undefined);
}

/**
 * Applied from `app.on('web-contents-created')`, i.e. to every web contents the app ever creates
 * (main window, login window, anything a bug might open), before it loads anything:
 * new windows, navigation, redirects and <webview> attachment all go through the pure policies.
 */
export function hardenWebContents(contents: WebContents, context: HardeningContext): void {
  contents.setWindowOpenHandler(({ url }) => {
    const origins = context.origins();
    if (!origins) return { action: 'deny' };
    const decision = decideWindowOpen(url, origins);
    if (decision.action === 'login-window') {
      return {
        action: 'allow',
        overrideBrowserWindowOptions: {
          width: 520,
          height: 720,
          autoHideMenuBar: true,
          title: 'Sign in — TRusTY Lab',
          // No preload: the provider's pages get no bridge (the preload also refuses other origins).
          webPreferences: secureWebPreferences({ isPackaged: context.isPackaged }),
        },
      };
    }
    if (decision.action === 'external') openExternalSafely(decision.url);
    return { action: 'deny' };
  });

  contents.on('will-navigate', (event) => {
    const origins = context.origins();
    if (origins && decideNavigation(event.url, origins) === 'allow') return;
    event.preventDefault();
    // A plain link to the web (documentation, a spec) still works — in the system browser.
    openExternalSafely(event.url);
  });

  contents.on('will-redirect', (event) => {
    const origins = context.origins();
    if (origins && decideNavigation(event.url, origins) === 'allow') return;
    event.preventDefault();
  });

  contents.on('will-frame-navigate', (event) => {
    const origins = context.origins();
    if (origins && decideNavigation(event.url, origins) === 'allow') return;
    event.preventDefault();
  });

  // webviewTag is false everywhere; refusing here too covers a window created with other preferences.
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
