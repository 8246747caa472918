import { isSafeExternalUrl } from './external-url';
import { decideNavigation } from './navigation-policy';
import type { LabOrigins } from './origins';
import { secureWebPreferences, type SecureWebPreferences } from './web-preferences';
import { decideWindowOpen } from './window-open-policy';

/** The parts of Electron's WebContents the guards use (structural, so tests pass a fake). */
export interface GuardedContents {
  setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenResponse): void;
  on(
    event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate' | 'will-attach-webview',
    listener: (event: { url?: string; preventDefault(): void }) => void,
  ): unknown;
}

export type WindowOpenResponse =
  | { action: 'deny' }
  | {
      action: 'allow';
      overrideBrowserWindowOptions: {
        width: number;
        height: number;
        autoHideMenuBar: boolean;
        title: string;
        webPreferences: SecureWebPreferences;
      };
    };

export interface GuardContext {
  /** The running lab's origins; null while it is (re)starting — then nothing is allowed. */
  origins(): LabOrigins | null;
  isPackaged: boolean;
  /** shell.openExternal; only ever called with a URL that passed isSafeExternalUrl. */
  openExternal(url: string): void;
}

/**
 * Installed from `app.on('web-contents-created')`, i.e. on every web contents the app ever creates
 * (main window, login window, anything a bug might open), before it loads anything: new windows,
 * navigation, redirects and <webview> attachment all go through the pure policies.
 */
export function guardWebContents(contents: GuardedContents, context: GuardContext): void {
  const openExternal = (url: string) => {
    if (isSafeExternalUrl(url)) context.openExternal(url);
  };

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
    if (decision.action === 'external') openExternal(decision.url);
    return { action: 'deny' };
  });

  const allowed = (url: string | undefined) => {
    const origins = context.origins();
    return url !== undefined && origins !== null && decideNavigation(url, origins) === 'allow';
  };

  contents.on('will-navigate', (event) => {
    if (allowed(event.url)) return;
    event.preventDefault();
    // A plain link to the web (documentation, a spec) still works — in the system browser.
    if (event.url !== undefined) openExternal(event.url);
  });

  for (const name of ['will-redirect', 'will-frame-navigate'] as const) {
    contents.on(name, (event) => {
      if (!allowed(event.url)) event.preventDefault();
    });
  }

  // webviewTag is false everywhere; refusing here too covers a window created with other preferences.
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
