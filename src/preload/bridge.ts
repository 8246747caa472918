import {
  invokeChannels,
  eventChannels,
  isMenuCommand,
  type BridgeArguments,
  type MenuCommand,
  type OpenedRecording,
  type SavedRecording,
  type SaveRecordingRequest,
  type TrustyLabBridge,
} from '../common/ipc-contract';
import { originOf } from '../main/origins';

/** The parts of ipcRenderer the bridge uses (a fake in tests). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * The object exposed as `window.trustyLab`: one function per contract channel and nothing else —
 * never ipcRenderer itself, never an IPC event object (its `sender` would hand the page raw IPC).
 * (Electron security checklist: "Do not expose Electron APIs to untrusted web content".)
 */
export function createTrustyLabBridge(ipc: IpcRendererLike, args: BridgeArguments): TrustyLabBridge {
  const bridge: TrustyLabBridge = {
    labUrl: args.labUrl,
    version: args.version,
    labSecret: async () => {
      const secret = await ipc.invoke(invokeChannels.labSecret);
      if (typeof secret !== 'string') throw new Error('unexpected answer from the desktop shell');
      return secret;
    },
    openRecordingDialog: async () =>
      (await ipc.invoke(invokeChannels.openRecordingDialog)) as OpenedRecording | null,
    saveRecordingDialog: async (defaultName: string, content: string) => {
      const request: SaveRecordingRequest = { defaultName, content };
      return (await ipc.invoke(invokeChannels.saveRecordingDialog, request)) as SavedRecording | null;
    },
    revealDataDirectory: async () => {
      await ipc.invoke(invokeChannels.revealDataDirectory);
    },
    onMenuCommand: (callback: (command: MenuCommand) => void) => {
      const listener = (_event: unknown, command: unknown) => {
        if (isMenuCommand(command)) callback(command);
      };
      ipc.on(eventChannels.menuCommand, listener);
      return () => {
        ipc.removeListener(eventChannels.menuCommand, listener);
      };
    },
  };
  return Object.freeze(bridge);
}

/**
 * The bridge is exposed only to the lab UI: a window that inherited this preload but shows another
 * origin (the provider's login page) gets nothing. The main process checks every sender anyway.
 */
export function shouldExposeBridge(pageUrl: string, labUrl: string): boolean {
  const page = originOf(pageUrl);
  return page !== null && page === originOf(labUrl);
}
