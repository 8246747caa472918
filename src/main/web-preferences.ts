/**
 * The webPreferences of every window of the app — the main window and the provider's login window
 * alike — written out in full even where Electron's default already agrees, so that a reader (and a
 * test) sees every switch and a future default change cannot loosen them silently.
 * Each line answers an item of Electron's security checklist (docs/electron-security.md).
 */
export interface SecureWebPreferences {
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webviewTag: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  experimentalFeatures: false;
  navigateOnDragDrop: false;
  safeDialogs: true;
  devTools: boolean;
  spellcheck: false;
  preload?: string;
  additionalArguments?: string[];
}

export interface WebPreferencesOptions {
  /** Only the lab window gets the bridge; the login window shows the provider's pages and needs none. */
  preload?: string;
  additionalArguments?: string[];
  /** app.isPackaged: dev tools exist only in development builds. */
  isPackaged: boolean;
}

export function secureWebPreferences(options: WebPreferencesOptions): SecureWebPreferences {
  const preferences: SecureWebPreferences = {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    // A file dropped on the window must not replace the lab UI with a local page.
    navigateOnDragDrop: false,
    // Dialog loops (alert spam) can be stopped by the user.
    safeDialogs: true,
    devTools: !options.isPackaged,
    // The spellchecker downloads dictionaries from Google: no remote fetches we did not ask for.
    spellcheck: false,
  };
  if (options.preload !== undefined) preferences.preload = options.preload;
  if (options.additionalArguments !== undefined)
    preferences.additionalArguments = options.additionalArguments;
  return preferences;
}
