import { join } from 'node:path';

/**
 * Where scripts/ensure-native.mjs caches the better-sqlite3 binary built for Electron's ABI, relative
 * to the project root. node_modules/better-sqlite3 stays built for Node (tests, web mode), so the
 * two runtimes never rebuild over each other. The script repeats this convention (it is plain
 * JavaScript); test/unit/main/native-binding.test.ts checks that both agree.
 */
export function electronNativeCacheRelativePath(electronVersion: string): string {
  if (!/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(electronVersion)) {
    throw new Error(`unexpected Electron version: ${electronVersion}`);
  }
  return join('.cache', 'electron-native', electronVersion, 'better_sqlite3.node');
}

/** Where a packaged app carries that binary (electron-builder.yml `extraResources`). */
export const PACKAGED_NATIVE_BINDING = join('native', 'better_sqlite3.node');

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
    ? join(context.resourcesPath, PACKAGED_NATIVE_BINDING)
    : join(context.appPath, electronNativeCacheRelativePath(context.electronVersion));
}
