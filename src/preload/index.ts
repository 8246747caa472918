// The preload of the lab window: sandboxed, context-isolated, bundled to CommonJS (sandboxed preloads
// cannot be ES modules or require files of their own), so it imports only 'electron' and bundled code.
import { contextBridge, ipcRenderer } from 'electron';
import { readBridgeArguments } from '../common/ipc-contract';
import { createTrustyLabBridge, shouldExposeBridge } from './bridge';

const args = readBridgeArguments(process.argv);
if (args && shouldExposeBridge(window.location.href, args.labUrl)) {
  contextBridge.exposeInMainWorld('trustyLab', createTrustyLabBridge(ipcRenderer, args));
}
