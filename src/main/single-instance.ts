/** The parts of a BrowserWindow that bringing it forward needs. */
export interface FocusableWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

/** The parts of `app` the single-instance rule needs. */
export interface SingleInstanceApp {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  on(event: 'second-instance', listener: () => void): unknown;
}

/**
 * One desktop lab per user: two would fight over the same SQLite database and data directory.
 * The second launch quits at once and the first brings its window to the front.
 * Returns false when this process is the second one (the caller must stop starting up).
 */
export function claimSingleInstance(
  app: SingleInstanceApp,
  mainWindow: () => FocusableWindow | null,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const window = mainWindow();
    if (window) bringToFront(window);
  });
  return true;
}

export function bringToFront(window: FocusableWindow): void {
  if (window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
