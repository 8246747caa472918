/**
 * The application menu as plain data: what each entry is and which command or built-in role it
 * triggers. The Electron adapter (electron/install-menu.ts) only turns this into a Menu, so the
 * structure, labels and shortcuts are tested without Electron.
 */

/** Commands the main process carries out (some by handing them to the lab UI, see menu-command-router). */
export const mainCommands = [
  'open-recording',
  'export-recording',
  'reset-lab',
  'reveal-data-directory',
  'toggle-theme',
  'about',
  'documentation',
] as const;
export type MainCommand = (typeof mainCommands)[number];

/** Electron built-in roles used here (their behaviour is Electron's own: quit, zoom, dev tools). */
export type MenuRole =
  | 'quit'
  | 'zoomIn'
  | 'zoomOut'
  | 'resetZoom'
  | 'toggleDevTools'
  | 'togglefullscreen'
  | 'appMenu'
  | 'editMenu'
  | 'windowMenu';

export type MenuItemSpec =
  | { kind: 'command'; command: MainCommand; label: string; accelerator?: string }
  | { kind: 'role'; role: MenuRole; label?: string; accelerator?: string }
  | { kind: 'separator' };

export type MenuSpec =
  { label: string; items: MenuItemSpec[] } | { role: 'appMenu' | 'editMenu' | 'windowMenu' };

export interface MenuContext {
  /** app.isPackaged: dev tools only in development builds. */
  isPackaged: boolean;
  /** process.platform: macOS gets its app menu and Cmd-Q there. */
  platform: string;
  productName: string;
}

const separator: MenuItemSpec = { kind: 'separator' };

export function buildMenuTemplate(context: MenuContext): MenuSpec[] {
  const isMac = context.platform === 'darwin';
  const file: MenuItemSpec[] = [
    { kind: 'command', command: 'open-recording', label: 'Open Recording…', accelerator: 'CmdOrCtrl+O' },
    { kind: 'command', command: 'export-recording', label: 'Export Recording…', accelerator: 'CmdOrCtrl+E' },
    separator,
    {
      kind: 'command',
      command: 'reveal-data-directory',
      label: 'Reveal Data Directory',
      accelerator: 'CmdOrCtrl+Shift+D',
    },
    { kind: 'command', command: 'reset-lab', label: 'Reset Lab…', accelerator: 'CmdOrCtrl+Shift+Backspace' },
  ];
  // On macOS, Quit lives in the app menu (with its standard Cmd+Q).
  if (!isMac) file.push(separator, { kind: 'role', role: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q' });

  const view: MenuItemSpec[] = [
    { kind: 'role', role: 'zoomIn', label: 'Zoom In', accelerator: 'CmdOrCtrl+=' },
    { kind: 'role', role: 'zoomOut', label: 'Zoom Out', accelerator: 'CmdOrCtrl+-' },
    { kind: 'role', role: 'resetZoom', label: 'Actual Size', accelerator: 'CmdOrCtrl+0' },
    separator,
    { kind: 'command', command: 'toggle-theme', label: 'Toggle Theme', accelerator: 'CmdOrCtrl+Shift+L' },
    { kind: 'role', role: 'togglefullscreen', label: 'Toggle Full Screen' },
  ];
  // Dev tools would let anyone at the keyboard read the lab secret and poke the bridge: a shipped
  // build has none (the fuse-free equivalent of removing the entry).
  if (!context.isPackaged) {
    view.push(separator, {
      kind: 'role',
      role: 'toggleDevTools',
      label: 'Toggle Developer Tools',
      accelerator: 'CmdOrCtrl+Alt+I',
    });
  }

  const help: MenuItemSpec[] = [
    { kind: 'command', command: 'documentation', label: 'Documentation', accelerator: 'F1' },
  ];
  if (!isMac)
    help.push(separator, { kind: 'command', command: 'about', label: `About ${context.productName}` });

  return [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    { label: '&File', items: file },
    { role: 'editMenu' },
    { label: '&View', items: view },
    ...(isMac ? [{ role: 'windowMenu' } as const] : []),
    { label: '&Help', items: help },
  ];
}
