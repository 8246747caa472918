import { BrowserWindow, screen } from 'electron';
import { bridgeArguments } from '../../common/ipc-contract';
import { PRODUCT_NAME } from '../app-info';
import { secureWebPreferences } from '../web-preferences';
import { clampToDisplays, MIN_WINDOW_HEIGHT, MIN_WINDOW_WIDTH, type WindowState } from '../window-state';
import { writeWindowState } from '../window-state-file';

export interface MainWindowOptions {
  state: WindowState;
  windowStateFile: string;
  preloadPath: string;
  iconPath?: string;
  labUrl: string;
  version: string;
  isPackaged: boolean;
}

/**
 * The lab window: locked-down webPreferences (web-preferences.ts), the preload bridge with the lab
 * URL and version as arguments (never the secret), shown once the UI has painted, geometry
 * remembered on close.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const state = clampToDisplays(
    options.state,
    screen
      .getAllDisplays()
      .sort(primaryFirst)
      .map((d) => d.workArea),
  );
  const window = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : { center: true }),
    width: state.width,
    height: state.height,
    minWidth: Math.min(MIN_WINDOW_WIDTH, state.width),
    minHeight: Math.min(MIN_WINDOW_HEIGHT, state.height),
    title: PRODUCT_NAME,
    show: false,
    backgroundColor: '#101418',
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: secureWebPreferences({
      preload: options.preloadPath,
      additionalArguments: bridgeArguments({ labUrl: options.labUrl, version: options.version }),
      isPackaged: options.isPackaged,
    }),
  });
  if (state.isMaximized) window.maximize();
  window.once('ready-to-show', () => window.show());

  window.on('close', () => {
    const bounds = window.getNormalBounds();
    writeWindowState(options.windowStateFile, { ...bounds, isMaximized: window.isMaximized() }).catch(
      () => undefined,
    );
  });
  return window;
}

function primaryFirst(a: Electron.Display, b: Electron.Display): number {
  const primary = screen.getPrimaryDisplay().id;
  return (a.id === primary ? 0 : 1) - (b.id === primary ? 0 : 1);
}
