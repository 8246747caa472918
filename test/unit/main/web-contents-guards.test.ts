import { describe, expect, it, vi } from 'vitest';
import {
  guardWebContents,
  type GuardedContents,
  type WindowOpenResponse,
} from '../../../src/main/web-contents-guards';
import type { LabOrigins } from '../../../src/main/origins';

const origins: LabOrigins = { labOrigin: 'http://127.0.0.1:53123', issuer: 'http://127.0.0.1:53122' };

type Listener = (event: { url?: string; preventDefault(): void }) => void;

function fakeContents() {
  let openHandler: ((details: { url: string }) => WindowOpenResponse) | undefined;
  const listeners = new Map<string, Listener[]>();
  const contents: GuardedContents = {
    setWindowOpenHandler: (handler) => {
      openHandler = handler;
    },
    on: (event, listener) => listeners.set(event, [...(listeners.get(event) ?? []), listener]),
  };
  /** Emits an event; true when some listener prevented it. */
  const emit = (event: string, url?: string) => {
    let prevented = false;
    for (const l of listeners.get(event) ?? []) l({ url, preventDefault: () => (prevented = true) });
    return prevented;
  };
  const open = (url: string) => {
    if (!openHandler) throw new Error('no window open handler installed');
    return openHandler({ url });
  };
  return { contents, emit, open };
}

function setup(current: LabOrigins | null = origins, isPackaged = true) {
  const fake = fakeContents();
  const openExternal = vi.fn();
  guardWebContents(fake.contents, { origins: () => current, isPackaged, openExternal });
  return { ...fake, openExternal };
}

describe('guardWebContents', () => {
  it('opens the provider login window with the locked-down preferences and no preload', () => {
    const { open, openExternal } = setup();
    const response = open('http://127.0.0.1:53122/authorize?client_id=x');
    expect(response.action).toBe('allow');
    if (response.action !== 'allow') return;
    expect(response.overrideBrowserWindowOptions.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      devTools: false,
    });
    expect(response.overrideBrowserWindowOptions.webPreferences).not.toHaveProperty('preload');
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('sends other web links to the system browser and opens no window for them', () => {
    const { open, openExternal } = setup();
    expect(open('https://datatracker.ietf.org/doc/html/rfc9126')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://datatracker.ietf.org/doc/html/rfc9126');
  });

  it('denies other schemes without handing them to the system', () => {
    const { open, openExternal } = setup();
    for (const url of [
      'file:///etc/passwd',
      'smb://host/x',
      'javascript:alert(1)',
      'http://127.0.0.1:53123/',
    ]) {
      expect(open(url)).toEqual({ action: 'deny' });
    }
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('denies every new window while the lab is restarting', () => {
    const { open } = setup(null);
    expect(open('http://127.0.0.1:53122/authorize')).toEqual({ action: 'deny' });
  });

  it('lets navigation stay on the lab and the provider', () => {
    const { emit } = setup();
    expect(emit('will-navigate', 'http://127.0.0.1:53122/login')).toBe(false);
    expect(emit('will-redirect', 'http://127.0.0.1:53123/callback?code=x')).toBe(false);
    expect(emit('will-frame-navigate', 'http://127.0.0.1:53123/')).toBe(false);
  });

  it('prevents navigation and redirects anywhere else', () => {
    const { emit, openExternal } = setup();
    expect(emit('will-navigate', 'https://example.com/')).toBe(true);
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://example.com/');
    expect(emit('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(emit('will-redirect', 'https://evil.example/steal')).toBe(true);
    expect(emit('will-frame-navigate', 'https://evil.example/')).toBe(true);
    expect(emit('will-navigate', undefined)).toBe(true);
    // Redirects are never handed to the system browser: only a user's own click is.
    expect(openExternal).toHaveBeenCalledOnce();
  });

  it('prevents all navigation while the lab is restarting', () => {
    const { emit } = setup(null);
    expect(emit('will-navigate', 'http://127.0.0.1:53123/')).toBe(true);
  });

  it('refuses every <webview>', () => {
    const { emit } = setup();
    expect(emit('will-attach-webview')).toBe(true);
  });

  it('gives the login window dev tools only in development builds', () => {
    const { open } = setup(origins, false);
    const response = open('http://127.0.0.1:53122/authorize');
    expect(response.action === 'allow' && response.overrideBrowserWindowOptions.webPreferences.devTools).toBe(
      true,
    );
  });
});
