import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronNativeCacheRelativePath, sqliteNativeBindingPath } from '../../../src/main/native-binding';
// @ts-expect-error -- plain JavaScript build script without type declarations
import * as ensureNative from '../../../scripts/ensure-native.mjs';

const script = ensureNative as {
  electronNativeCachePath(root: string, version: string): string;
  installedElectronVersion(root: string): string;
  nodeBindingLoads(root: string): boolean;
};

describe('sqliteNativeBindingPath', () => {
  it('uses the cached Electron build in development', () => {
    expect(
      sqliteNativeBindingPath({
        isPackaged: false,
        appPath: '/src/trusty-lab',
        resourcesPath: '/ignored',
        electronVersion: '45.5.0',
      }),
    ).toBe('/src/trusty-lab/.cache/electron-native/45.5.0/better_sqlite3.node');
  });
  it('uses the copy shipped in resources when packaged', () => {
    expect(
      sqliteNativeBindingPath({
        isPackaged: true,
        appPath: '/opt/TRusTY Lab/resources/app.asar',
        resourcesPath: '/opt/TRusTY Lab/resources',
        electronVersion: '45.5.0',
      }),
    ).toBe('/opt/TRusTY Lab/resources/native/45.5.0/better_sqlite3.node');
  });
  it('refuses a version that could escape the cache directory', () => {
    expect(() => electronNativeCacheRelativePath('../../etc')).toThrow();
    expect(() => electronNativeCacheRelativePath('')).toThrow();
    expect(electronNativeCacheRelativePath('46.0.0-beta.1')).toContain('46.0.0-beta.1');
  });
});

describe('scripts/ensure-native.mjs', () => {
  it('caches the Electron binary exactly where the main process looks for it', () => {
    for (const version of ['45.5.0', '46.0.0-beta.1']) {
      expect(script.electronNativeCachePath('/root', version)).toBe(
        join('/root', electronNativeCacheRelativePath(version)),
      );
    }
    expect(() => script.electronNativeCachePath('/root', '../x')).toThrow();
  });
  it('reads the Electron version without loading the electron package', () => {
    expect(script.installedElectronVersion(process.cwd())).toMatch(/^\d+\.\d+\.\d+/);
  });
  it('sees that the Node binary of better-sqlite3 loads here', () => {
    expect(script.nodeBindingLoads(process.cwd())).toBe(true);
  });
  it('sees when it does not (no better-sqlite3 to load)', () => {
    expect(script.nodeBindingLoads('/')).toBe(false);
  });
});
