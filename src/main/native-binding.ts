import { join } from 'node:path';

const BINARY = 'better_sqlite3.node';

/** The version becomes a directory name: nothing but a semantic version may get there. */
function checkedVersion(electronVersion: string): string {
  if (!/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(electronVersion) || electronVersion.includes('..')) {
    throw new Error(`unexpected Electron version: ${electronVersion}`);
  }
  return electronVersion;
}

/**
 * Where scripts/ensure-native.mjs caches the better-sqlite3 binary built for Electron's ABI, relative
 * to the project root. node_modules/better-sqlite3 stays built for Node (tests, web mode), so the
 * two runtimes never rebuild over each other. The script repeats this convention (it is plain
 * JavaScript); test/unit/main/native-binding.test.ts checks that both agree.
 */
export function electronNativeCacheRelativePath(electronVersion: string): string {
  return join('.cache', 'electron-native', checkedVersion(electronVersion), BINARY);
}

/**
 * Where a packaged app carries that binary: electron-builder.yml copies `.cache/electron-native/`
 * to `<resources>/native/` (`extraResources`), one directory per Electron version.
 */
export function packagedNativeBindingRelativePath(electronVersion: string): string {
  return join('native', checkedVersion(electronVersion), BINARY);
}

export interface NativeBindingContext {
  isPackaged: boolean;
  /** app.getAppPath(): the project root in development (`electron .`). */
  appPath: string;
  /** process.resourcesPath of a packaged app. */
  resourcesPath: string;
  /** process.versions.electron */
  electronVersion: string;
}

/** The `sqliteNativeBinding` to give the server in the desktop app. */
export function sqliteNativeBindingPath(context: NativeBindingContext): string {
  return context.isPackaged
    ? join(context.resourcesPath, packagedNativeBindingRelativePath(context.electronVersion))
    : join(context.appPath, electronNativeCacheRelativePath(context.electronVersion));
}
