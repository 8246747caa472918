import { basename } from 'node:path';
import * as z from 'zod';
import {
  invokeChannels,
  MAX_RECORDING_BYTES,
  type InvokeChannel,
  type InvokeContract,
  type OpenedRecording,
  type SavedRecording,
} from '../common/ipc-contract';
import { isTrustedSender } from './ipc-sender-policy';

/** The outside world the IPC handlers act on (Electron dialogs and shell, the file system, the server). */
export interface IpcHandlerDeps {
  /** The running lab's secret, or null while it is (re)starting. */
  labSecret(): string | null;
  /** The system open dialog; the chosen path or null. */
  chooseRecordingToOpen(): Promise<string | null>;
  /** The system save dialog; the chosen path or null. */
  chooseRecordingSaveTarget(defaultName: string): Promise<string | null>;
  fileSize(path: string): Promise<number>;
  readTextFile(path: string): Promise<string>;
  writeTextFile(path: string, content: string): Promise<void>;
  revealDataDirectory(): Promise<void>;
}

export type IpcHandlers = {
  [K in InvokeChannel]: (payload: unknown) => Promise<InvokeContract[K]['response']>;
};

/** A file name the dialog may suggest: no directory part, no control characters, not `.`/`..`. */
const fileName = z
  .string()
  .min(1)
  .max(255)
  .refine((name) => basename(name) === name && !/[/\\]/.test(name), 'a file name, not a path')
  .refine((name) => name !== '.' && name !== '..', 'a file name, not a path')
  // eslint-disable-next-line no-control-regex
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'no control characters');

const saveRecordingRequest = z
  .object({
    defaultName: fileName,
    content: z
      .string()
      .refine((c) => Buffer.byteLength(c, 'utf8') <= MAX_RECORDING_BYTES, 'recording too large'),
  })
  .strict();

/** Thrown to the renderer (the invoke rejects); carries no path or secret. */
export class IpcRequestError extends Error {
  override name = 'IpcRequestError';
}

/**
 * The handlers of every invoke channel. Each validates its payload: the renderer is web content and
 * its messages are input like any other.
 */
export function createIpcHandlers(deps: IpcHandlerDeps): IpcHandlers {
  return {
    [invokeChannels.labSecret]: async () => {
      const secret = deps.labSecret();
      if (secret === null) throw new IpcRequestError('the lab is not running');
      return secret;
    },

    [invokeChannels.openRecordingDialog]: async (): Promise<OpenedRecording | null> => {
      const path = await deps.chooseRecordingToOpen();
      if (path === null) return null;
      if ((await deps.fileSize(path)) > MAX_RECORDING_BYTES) {
        throw new IpcRequestError('that file is too large to be a recording');
      }
      return { name: basename(path), content: await deps.readTextFile(path) };
    },

    [invokeChannels.saveRecordingDialog]: async (payload): Promise<SavedRecording | null> => {
      const parsed = saveRecordingRequest.safeParse(payload);
      if (!parsed.success) throw new IpcRequestError('invalid save request');
      const path = await deps.chooseRecordingSaveTarget(parsed.data.defaultName);
      if (path === null) return null;
      await deps.writeTextFile(path, parsed.data.content);
      return { name: basename(path) };
    },

    [invokeChannels.revealDataDirectory]: async () => {
      await deps.revealDataDirectory();
    },
  };
}

/** The part of an IpcMainInvokeEvent the sender check reads. */
export interface InvokeEventLike {
  senderFrame: { url: string } | null | undefined;
}

/**
 * Wraps a handler so that it runs only for the lab UI's frame (ipc-sender-policy.ts); any other
 * sender gets a rejection, and the handler — the secret, the dialogs — is never reached.
 */
export function guardSender<T>(
  handler: (payload: unknown) => Promise<T>,
  labOrigin: () => string | null,
): (event: InvokeEventLike, payload?: unknown) => Promise<T> {
  return async (event, payload) => {
    const origin = labOrigin();
    if (origin === null || !isTrustedSender(event.senderFrame?.url, origin)) {
      throw new IpcRequestError('refused: the sender is not the lab UI');
    }
    return handler(payload);
  };
}
