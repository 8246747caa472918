/**
 * The one typed contract between the Electron main process, the preload bridge and the renderer:
 * every channel name and the shape of what crosses it. Nothing else crosses the process boundary.
 * This file is plain TypeScript (no Electron import) so that all three sides, and tests, can load it.
 */

/** Channels the renderer may invoke (ipcRenderer.invoke → ipcMain.handle). */
export const invokeChannels = {
  labSecret: 'trusty-lab:lab-secret',
  openRecordingDialog: 'trusty-lab:open-recording-dialog',
  saveRecordingDialog: 'trusty-lab:save-recording-dialog',
  revealDataDirectory: 'trusty-lab:reveal-data-directory',
} as const;

/** Channels the main process sends to the renderer (webContents.send → ipcRenderer.on). */
export const eventChannels = {
  menuCommand: 'trusty-lab:menu-command',
} as const;

export type InvokeChannel = (typeof invokeChannels)[keyof typeof invokeChannels];

/** Commands the menu hands to the lab UI, which owns the action (it knows the current recording). */
export const menuCommands = ['open-recording', 'export-recording', 'toggle-theme'] as const;
export type MenuCommand = (typeof menuCommands)[number];

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (menuCommands as readonly string[]).includes(value);
}

/** A recording file the user picked: its name (no directory) and its text. */
export interface OpenedRecording {
  name: string;
  content: string;
}

export interface SaveRecordingRequest {
  /** Suggested file name, e.g. `recording-2026-11-27.har`; never a path. */
  defaultName: string;
  /** The exported recording (JSON, HAR or Markdown), fetched by the UI from the lab API. */
  content: string;
}

/** What a saved file is reported as: its name only; the renderer never learns local paths. */
export interface SavedRecording {
  name: string;
}

/** Request and response types of each invoke channel. */
export interface InvokeContract {
  [invokeChannels.labSecret]: { request: void; response: string };
  [invokeChannels.openRecordingDialog]: { request: void; response: OpenedRecording | null };
  [invokeChannels.saveRecordingDialog]: { request: SaveRecordingRequest; response: SavedRecording | null };
  [invokeChannels.revealDataDirectory]: { request: void; response: void };
}

/** Largest recording the bridge carries either way (a recording is JSON text; 64 MiB is generous). */
export const MAX_RECORDING_BYTES = 64 * 1024 * 1024;

/** What the renderer sees as `window.trustyLab` in the desktop app (absent in web mode). */
export interface TrustyLabBridge {
  /** The lab UI URL (lab origin, no secret). */
  readonly labUrl: string;
  /** The app version. */
  readonly version: string;
  /** The per-launch lab API secret (asked of the main process, never put in a URL). */
  labSecret(): Promise<string>;
  /** Shows the system "open" dialog for a recording; null when cancelled. */
  openRecordingDialog(): Promise<OpenedRecording | null>;
  /** Shows the system "save" dialog and writes `content`; null when cancelled. */
  saveRecordingDialog(defaultName: string, content: string): Promise<SavedRecording | null>;
  /** Shows the lab's data directory in the system file manager. */
  revealDataDirectory(): Promise<void>;
  /** Subscribes to menu commands; returns the unsubscribe function. */
  onMenuCommand(callback: (command: MenuCommand) => void): () => void;
}

declare global {
  interface Window {
    /** Present only in the desktop app (preload bridge). */
    trustyLab?: TrustyLabBridge;
  }
}

/**
 * How the main process hands the preload its synchronous values: `webPreferences.additionalArguments`
 * (a sandboxed preload sees `process.argv`, not the main process's state).
 */
export const bridgeArgumentNames = {
  labUrl: '--trusty-lab-url=',
  version: '--trusty-lab-version=',
} as const;

export interface BridgeArguments {
  labUrl: string;
  version: string;
}

export function bridgeArguments(values: BridgeArguments): string[] {
  return [`${bridgeArgumentNames.labUrl}${values.labUrl}`, `${bridgeArgumentNames.version}${values.version}`];
}

export function readBridgeArguments(argv: readonly string[]): BridgeArguments | null {
  const find = (prefix: string) => argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
  const labUrl = find(bridgeArgumentNames.labUrl);
  const version = find(bridgeArgumentNames.version);
  if (!labUrl || version === undefined) return null;
  return { labUrl, version };
}
