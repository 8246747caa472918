// The Electron main process: thin composition of the pure modules beside it (every decision lives
// there, tested without Electron) and the adapters in ./electron.
//
// The provider and the lab run IN this process, not in a utilityProcess: the server is asynchronous
// network I/O with small synchronous SQLite statements, so the main thread stays responsive; one
// process means one lifecycle (reset = stop, wipe, start, with no cross-process handshake), and the
// lab secret never has to travel over another channel. A utilityProcess would buy crash isolation
// at the price of a second IPC protocol for start/stop/secret/origins; revisit if profiling shows
// SQLite work blocking the UI.
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, session, shell } from 'electron';
import { eventChannels, type MenuCommand } from '../common/ipc-contract';
import { loadLabConfig } from '../server/config/load-lab-config';
import { createServer } from '../server/index';
import type { RunningServer } from '../server/server-options';
import { aboutDetail, DOCUMENTATION_FILE, PRODUCT_NAME } from './app-info';
import { clearDirectoryContents } from './clear-directory';
import { hardenWebContents } from './electron/harden-web-contents';
import { installMenu } from './electron/install-menu';
import { installSessionSecurity } from './electron/install-session-security';
import { createMainWindow } from './electron/main-window';
import { registerIpc } from './electron/register-ipc';
import { createIpcHandlers } from './ipc-handlers';
import { jsonLogger } from './json-logger';
import { routeMenuCommand } from './menu-command-router';
import { buildMenuTemplate } from './menu-template';
import { sqliteNativeBindingPath } from './native-binding';
import { originOf, type LabOrigins } from './origins';
import { resetLab } from './reset-lab';
import { ServerLifecycle } from './server-lifecycle';
import { claimSingleInstance } from './single-instance';
import { labConfigPath, userDataPaths } from './user-data-paths';
import { readWindowState } from './window-state-file';

// Every renderer sandboxed, whatever a window's own preferences say (checklist: "Enable process sandboxing").
app.enableSandbox();
app.setName(PRODUCT_NAME);

const isPackaged = app.isPackaged;
const paths = userDataPaths(app.getPath('userData'));
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));
const iconPath = join(app.getAppPath(), 'resources', 'icons', 'icon-512.png');
const sqliteNativeBinding = sqliteNativeBindingPath({
  isPackaged,
  appPath: app.getAppPath(),
  resourcesPath: process.resourcesPath,
  electronVersion: process.versions.electron ?? '',
});
const logger = jsonLogger({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});

let mainWindow: BrowserWindow | null = null;

const lifecycle = new ServerLifecycle({
  createServer,
  loadConfig: () => loadLabConfig(labConfigPath(paths, app.getAppPath(), existsSync)),
  clearDataDir: clearDirectoryContents,
  options: { host: '127.0.0.1', dataDir: paths.dataDir, rendererDir, sqliteNativeBinding, logger },
});

function origins(): LabOrigins | null {
  const server = lifecycle.current;
  return server ? { labOrigin: server.labOrigin, issuer: server.issuer } : null;
}

function labUiUrl(server: RunningServer): string {
  // The lab origin's root, WITHOUT RunningServer.labUrl's `#secret=` fragment: in the desktop app the
  // secret reaches the UI only through the bridge.
  return new URL('/', server.labOrigin).href;
}

async function openMainWindow(server: RunningServer): Promise<void> {
  const window = createMainWindow({
    state: await readWindowState(paths.windowStateFile),
    windowStateFile: paths.windowStateFile,
    preloadPath,
    iconPath,
    labUrl: labUiUrl(server),
    version: app.getVersion(),
    isPackaged,
  });
  mainWindow = window;
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  await window.loadURL(labUiUrl(server));
}

async function reopenMainWindow(server: RunningServer): Promise<void> {
  const window = mainWindow;
  if (
    window &&
    !window.isDestroyed() &&
    originOf(window.webContents.getURL()) === originOf(server.labOrigin)
  ) {
    await window.loadURL(labUiUrl(server));
    return;
  }
  // The lab origin moved (a port was taken): the preload's labUrl argument is stale, so a new window.
  window?.destroy();
  await openMainWindow(server);
}

function sendToLabUi(command: MenuCommand): void {
  mainWindow?.webContents.send(eventChannels.menuCommand, command);
}

async function revealDataDirectory(): Promise<void> {
  await mkdir(paths.dataDir, { recursive: true });
  const failure = await shell.openPath(paths.dataDir);
  if (failure) shell.showItemInFolder(paths.dataDir);
}

async function confirmReset(): Promise<boolean> {
  const options: Electron.MessageBoxOptions = {
    type: 'warning',
    title: 'Reset Lab',
    message: 'Reset the lab?',
    detail:
      'This stops the lab and deletes its data directory: every recording, the signing keys, ' +
      `sessions and grants. The configuration file is kept.\n\n${paths.dataDir}`,
    buttons: ['Cancel', 'Reset Lab'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
  const { response } = mainWindow
    ? await dialog.showMessageBox(mainWindow, options)
    : await dialog.showMessageBox(options);
  return response === 1;
}

function recordingFilters(defaultName: string): Electron.FileFilter[] {
  const ext = extname(defaultName).slice(1).toLowerCase();
  const named: Record<string, string> = { json: 'TRusTY Lab recording', har: 'HAR 1.2', md: 'Markdown' };
  const first = named[ext] ? [{ name: named[ext], extensions: [ext] }] : [];
  return [...first, { name: 'All files', extensions: ['*'] }];
}

const ipcHandlers = createIpcHandlers({
  labSecret: () => lifecycle.current?.labSecret ?? null,
  chooseRecordingToOpen: async () => {
    const options: Electron.OpenDialogOptions = {
      title: 'Open Recording',
      properties: ['openFile'],
      filters: [
        { name: 'TRusTY Lab recording', extensions: ['json'] },
        { name: 'All files', extensions: ['*'] },
      ],
    };
    const result = mainWindow
      ? await dialog.showOpenDialog(mainWindow, options)
      : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
  chooseRecordingSaveTarget: async (defaultName) => {
    const options: Electron.SaveDialogOptions = {
      title: 'Export Recording',
      defaultPath: join(app.getPath('documents'), defaultName),
      filters: recordingFilters(defaultName),
    };
    const result = mainWindow
      ? await dialog.showSaveDialog(mainWindow, options)
      : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  },
  fileSize: async (path) => (await stat(path)).size,
  readTextFile: (path) => readFile(path, 'utf8'),
  writeTextFile: (path, content) => writeFile(path, content, 'utf8'),
  revealDataDirectory,
});

async function showAbout(): Promise<void> {
  await dialog.showMessageBox({
    type: 'info',
    title: `About ${PRODUCT_NAME}`,
    message: PRODUCT_NAME,
    detail: aboutDetail(
      {
        app: app.getVersion(),
        electron: process.versions.electron,
        chrome: process.versions.chrome,
        node: process.versions.node,
      },
      paths.dataDir,
    ),
    buttons: ['OK'],
  });
}

function dispatchMenuCommand(command: Parameters<typeof routeMenuCommand>[0]): void {
  routeMenuCommand(command, {
    sendToLabUi,
    revealDataDirectory,
    showAbout,
    openDocumentation: async () => {
      await shell.openPath(join(app.getAppPath(), DOCUMENTATION_FILE));
    },
    resetLab: async () => {
      await resetLab({
        confirm: confirmReset,
        reset: () => lifecycle.reset(),
        reopen: reopenMainWindow,
        showError: async (message) => dialog.showErrorBox(PRODUCT_NAME, message),
      });
    },
  }).catch((error: unknown) => logger.error('menu command failed', { command, error: String(error) }));
}

function fatal(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  logger.error('startup failed', { error: message });
  dialog.showErrorBox(`${PRODUCT_NAME} could not start`, message);
  app.exit(1);
}

async function startUp(): Promise<void> {
  installSessionSecurity(session.defaultSession, origins);
  registerIpc(ipcHandlers, () => origins()?.labOrigin ?? null);
  installMenu(
    buildMenuTemplate({ isPackaged, platform: process.platform, productName: PRODUCT_NAME }),
    (command) => dispatchMenuCommand(command),
  );
  if (!existsSync(sqliteNativeBinding)) {
    throw new Error(
      `The SQLite driver for Electron is missing (${sqliteNativeBinding}). ` +
        'Run `node scripts/ensure-native.mjs electron` (npm start does it for you).',
    );
  }
  const server = await lifecycle.start();
  await openMainWindow(server);
}

if (claimSingleInstance(app, () => mainWindow)) {
  // Before any window exists, so that no web contents escapes the policies.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, { origins, isPackaged }));

  app.whenReady().then(startUp).catch(fatal);

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    const server = lifecycle.current;
    if (server && BrowserWindow.getAllWindows().length === 0) openMainWindow(server).catch(fatal);
  });

  // Let requests in flight finish and close the database before the process goes. The stop is queued
  // behind a start still in progress, so quitting during startup leaves no server behind either.
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    lifecycle
      .stop()
      .catch((error: unknown) => logger.error('shutdown failed', { error: String(error) }))
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });
}
