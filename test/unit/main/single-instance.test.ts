import { describe, expect, it, vi } from 'vitest';
import { bringToFront, claimSingleInstance, type FocusableWindow } from '../../../src/main/single-instance';

function fakeApp(lock: boolean) {
  const listeners: Array<() => void> = [];
  return {
    requestSingleInstanceLock: vi.fn(() => lock),
    quit: vi.fn(),
    on: vi.fn((_event: 'second-instance', listener: () => void) => listeners.push(listener)),
    secondInstance: () => listeners.forEach((l) => l()),
  };
}

function fakeWindow(state: { minimized?: boolean; destroyed?: boolean } = {}) {
  const calls: string[] = [];
  const window: FocusableWindow = {
    isDestroyed: () => state.destroyed ?? false,
    isMinimized: () => state.minimized ?? false,
    restore: () => calls.push('restore'),
    show: () => calls.push('show'),
    focus: () => calls.push('focus'),
  };
  return { window, calls };
}

describe('claimSingleInstance', () => {
  it('quits a second instance at once and tells the caller to stop', () => {
    const app = fakeApp(false);
    expect(claimSingleInstance(app, () => null)).toBe(false);
    expect(app.quit).toHaveBeenCalledOnce();
    expect(app.on).not.toHaveBeenCalled();
  });

  it('in the first instance, brings the window forward when a second one starts', () => {
    const app = fakeApp(true);
    const { window, calls } = fakeWindow({ minimized: true });
    expect(claimSingleInstance(app, () => window)).toBe(true);
    expect(app.quit).not.toHaveBeenCalled();
    app.secondInstance();
    expect(calls).toEqual(['restore', 'show', 'focus']);
  });

  it('copes with no window yet', () => {
    const app = fakeApp(true);
    claimSingleInstance(app, () => null);
    expect(() => app.secondInstance()).not.toThrow();
  });
});

describe('bringToFront', () => {
  it('does not restore a window that is not minimized, and ignores a destroyed one', () => {
    const open = fakeWindow();
    bringToFront(open.window);
    expect(open.calls).toEqual(['show', 'focus']);
    const gone = fakeWindow({ destroyed: true });
    bringToFront(gone.window);
    expect(gone.calls).toEqual([]);
  });
});
