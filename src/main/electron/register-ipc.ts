import { ipcMain } from 'electron';
import type { InvokeChannel } from '../../common/ipc-contract';
import { guardSender, type IpcHandlers } from '../ipc-handlers';

/** Registers every invoke channel of the contract, each behind the sender check. */
export function registerIpc(handlers: IpcHandlers, labOrigin: () => string | null): void {
  for (const channel of Object.keys(handlers) as InvokeChannel[]) {
    const handler: (payload: unknown) => Promise<unknown> = handlers[channel];
    ipcMain.handle(channel, guardSender(handler, labOrigin));
  }
}
