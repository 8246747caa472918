import { describe, expect, it } from 'vitest';
import { secureWebPreferences } from '../../../src/main/web-preferences';

describe('secureWebPreferences', () => {
  it('locks every window down, item by item', () => {
    const prefs = secureWebPreferences({ isPackaged: true });
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      devTools: false,
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('preload');
  });
  it('has dev tools only in development builds', () => {
    expect(secureWebPreferences({ isPackaged: false }).devTools).toBe(true);
    expect(secureWebPreferences({ isPackaged: true }).devTools).toBe(false);
  });
  it('carries the preload and its arguments only when given', () => {
    const prefs = secureWebPreferences({
      isPackaged: false,
      preload: '/app/preload.cjs',
      additionalArguments: ['--a'],
    });
    expect(prefs.preload).toBe('/app/preload.cjs');
    expect(prefs.additionalArguments).toEqual(['--a']);
    expect(prefs.sandbox).toBe(true);
  });
});
