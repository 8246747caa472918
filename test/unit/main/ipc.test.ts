import { describe, expect, it, vi } from 'vitest';
import {
  bridgeArguments,
  eventChannels,
  invokeChannels,
  isMenuCommand,
  MAX_RECORDING_BYTES,
  readBridgeArguments,
} from '../../../src/common/ipc-contract';
import { createIpcHandlers, guardSender, type IpcHandlerDeps } from '../../../src/main/ipc-handlers';
import { createTrustyLabBridge, shouldExposeBridge, type IpcRendererLike } from '../../../src/preload/bridge';

const labOrigin = 'http://127.0.0.1:53123';

function deps(overrides: Partial<IpcHandlerDeps> = {}): IpcHandlerDeps {
  return {
    labSecret: () => 'the-secret',
    chooseRecordingToOpen: async () => '/home/u/recordings/flow.json',
    chooseRecordingSaveTarget: async (name) => `/home/u/Documents/${name}`,
    fileSize: async () => 10,
    readTextFile: async () => '{"schemaVersion":1}',
    writeTextFile: vi.fn(async () => undefined),
    revealDataDirectory: vi.fn(async () => undefined),
    ...overrides,
  };
}

describe('IPC handlers', () => {
  it('give the lab secret while the lab runs, and refuse while it does not', async () => {
    await expect(createIpcHandlers(deps())[invokeChannels.labSecret](undefined)).resolves.toBe('the-secret');
    await expect(
      createIpcHandlers(deps({ labSecret: () => null }))[invokeChannels.labSecret](undefined),
    ).rejects.toThrow(/not running/);
  });

  it('open a recording: the file name and content, never the directory', async () => {
    const result = await createIpcHandlers(deps())[invokeChannels.openRecordingDialog](undefined);
    expect(result).toEqual({ name: 'flow.json', content: '{"schemaVersion":1}' });
  });

  it('open: null when cancelled, and an oversized file is refused unread', async () => {
    expect(
      await createIpcHandlers(deps({ chooseRecordingToOpen: async () => null }))[
        invokeChannels.openRecordingDialog
      ](undefined),
    ).toBeNull();
    const readTextFile = vi.fn(async () => 'x');
    const handlers = createIpcHandlers(deps({ fileSize: async () => MAX_RECORDING_BYTES + 1, readTextFile }));
    await expect(handlers[invokeChannels.openRecordingDialog](undefined)).rejects.toThrow(/too large/);
    expect(readTextFile).not.toHaveBeenCalled();
  });

  it('save a recording where the user chose, reporting only the name', async () => {
    const d = deps();
    const result = await createIpcHandlers(d)[invokeChannels.saveRecordingDialog]({
      defaultName: 'flow.har',
      content: '{}',
    });
    expect(result).toEqual({ name: 'flow.har' });
    expect(d.writeTextFile).toHaveBeenCalledExactlyOnceWith('/home/u/Documents/flow.har', '{}');
  });

  it('save: nothing written when cancelled', async () => {
    const d = deps({ chooseRecordingSaveTarget: async () => null });
    expect(
      await createIpcHandlers(d)[invokeChannels.saveRecordingDialog]({ defaultName: 'a.json', content: '' }),
    ).toBeNull();
    expect(d.writeTextFile).not.toHaveBeenCalled();
  });

  it('save: refuses paths, odd names and malformed payloads before any dialog', async () => {
    const choose = vi.fn(async () => '/x');
    const handlers = createIpcHandlers(deps({ chooseRecordingSaveTarget: choose }));
    for (const payload of [
      { defaultName: '../../.bashrc', content: '' },
      { defaultName: '/etc/passwd', content: '' },
      { defaultName: 'a\\b.json', content: '' },
      { defaultName: '..', content: '' },
      { defaultName: 'a\nb.json', content: '' },
      { defaultName: '', content: '' },
      { defaultName: 'a.json', content: 42 },
      { defaultName: 'a.json', content: '', extra: true },
      'a.json',
      null,
    ]) {
      await expect(handlers[invokeChannels.saveRecordingDialog](payload)).rejects.toThrow(/invalid/);
    }
    expect(choose).not.toHaveBeenCalled();
  });

  it('reveal the data directory', async () => {
    const d = deps();
    await createIpcHandlers(d)[invokeChannels.revealDataDirectory](undefined);
    expect(d.revealDataDirectory).toHaveBeenCalledOnce();
  });
});

describe('guardSender', () => {
  it('runs the handler for the lab UI frame', async () => {
    const handler = vi.fn(async (payload: unknown) => payload);
    const guarded = guardSender(handler, () => labOrigin);
    await expect(guarded({ senderFrame: { url: `${labOrigin}/inspector` } }, 'p')).resolves.toBe('p');
  });

  it('refuses other frames, missing frames and a stopped lab without running the handler', async () => {
    const handler = vi.fn(async () => 'the-secret');
    for (const [event, origin] of [
      [{ senderFrame: { url: 'http://127.0.0.1:53122/login' } }, labOrigin],
      [{ senderFrame: { url: 'https://evil.example/' } }, labOrigin],
      [{ senderFrame: null }, labOrigin],
      [{ senderFrame: undefined }, labOrigin],
      [{ senderFrame: { url: `${labOrigin}/` } }, null],
    ] as const) {
      await expect(guardSender(handler, () => origin)(event)).rejects.toThrow(/not the lab UI/);
    }
    expect(handler).not.toHaveBeenCalled();
  });
});

describe('bridge arguments', () => {
  it('round-trip through argv', () => {
    const argv = [
      '/electron',
      '--type=renderer',
      ...bridgeArguments({ labUrl: `${labOrigin}/`, version: '0.1.0' }),
    ];
    expect(readBridgeArguments(argv)).toEqual({ labUrl: `${labOrigin}/`, version: '0.1.0' });
  });
  it('are absent when the main process gave none', () => {
    expect(readBridgeArguments(['/electron', '--type=renderer'])).toBeNull();
  });
  it('never carry the secret', () => {
    expect(bridgeArguments({ labUrl: `${labOrigin}/`, version: '1' }).join(' ')).not.toMatch(/secret/i);
  });
});

describe('preload bridge', () => {
  function fakeIpc() {
    const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
    const ipc: IpcRendererLike & { emit(channel: string, ...args: unknown[]): void } = {
      invoke: vi.fn(async (channel: string) => (channel === invokeChannels.labSecret ? 'the-secret' : null)),
      on: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
      removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
      emit: (channel, ...args) => listeners.get(channel)?.forEach((l) => l({ sender: 'raw ipc' }, ...args)),
    };
    return ipc;
  }

  it('exposes exactly the contract, frozen', () => {
    const bridge = createTrustyLabBridge(fakeIpc(), { labUrl: `${labOrigin}/`, version: '0.1.0' });
    expect(Object.keys(bridge).sort()).toEqual(
      [
        'labSecret',
        'labUrl',
        'onMenuCommand',
        'openRecordingDialog',
        'revealDataDirectory',
        'saveRecordingDialog',
        'version',
      ].sort(),
    );
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(bridge.labUrl).toBe(`${labOrigin}/`);
    expect(bridge.version).toBe('0.1.0');
  });

  it('invokes the contract channels with the contract payloads', async () => {
    const ipc = fakeIpc();
    const bridge = createTrustyLabBridge(ipc, { labUrl: `${labOrigin}/`, version: '1' });
    await expect(bridge.labSecret()).resolves.toBe('the-secret');
    await bridge.saveRecordingDialog('a.har', '{}');
    await bridge.openRecordingDialog();
    await bridge.revealDataDirectory();
    expect(ipc.invoke).toHaveBeenCalledWith(invokeChannels.labSecret);
    expect(ipc.invoke).toHaveBeenCalledWith(invokeChannels.saveRecordingDialog, {
      defaultName: 'a.har',
      content: '{}',
    });
    expect(ipc.invoke).toHaveBeenCalledWith(invokeChannels.openRecordingDialog);
    expect(ipc.invoke).toHaveBeenCalledWith(invokeChannels.revealDataDirectory);
  });

  it('passes menu commands without the IPC event, drops unknown ones, and unsubscribes', () => {
    const ipc = fakeIpc();
    const bridge = createTrustyLabBridge(ipc, { labUrl: `${labOrigin}/`, version: '1' });
    const seen: unknown[][] = [];
    const off = bridge.onMenuCommand((...args) => seen.push(args));
    ipc.emit(eventChannels.menuCommand, 'toggle-theme');
    ipc.emit(eventChannels.menuCommand, 'rm -rf');
    ipc.emit(eventChannels.menuCommand, { command: 'export-recording' });
    off();
    ipc.emit(eventChannels.menuCommand, 'export-recording');
    expect(seen).toEqual([['toggle-theme']]);
  });

  it('is exposed only on the lab origin', () => {
    expect(shouldExposeBridge(`${labOrigin}/inspector`, `${labOrigin}/`)).toBe(true);
    expect(shouldExposeBridge('http://127.0.0.1:53122/login', `${labOrigin}/`)).toBe(false);
    expect(shouldExposeBridge('about:blank', `${labOrigin}/`)).toBe(false);
  });

  it('rejects a non-string secret', async () => {
    const ipc = fakeIpc();
    ipc.invoke = vi.fn(async () => ({ not: 'a string' }));
    await expect(
      createTrustyLabBridge(ipc, { labUrl: labOrigin, version: '1' }).labSecret(),
    ).rejects.toThrow();
  });

  it('knows the menu commands', () => {
    expect(isMenuCommand('export-recording')).toBe(true);
    expect(isMenuCommand('reset-lab')).toBe(false);
    expect(isMenuCommand(1)).toBe(false);
  });
});
