import { join } from 'node:path';

/** Where the desktop app keeps things, all under Electron's per-user `userData` directory. */
export interface UserDataPaths {
  /** The lab's data directory (SQLite database, keys): `ServerOptions.dataDir`. Reset empties it. */
  dataDir: string;
  /** The remembered main window geometry. */
  windowStateFile: string;
  /** A lab configuration of the user's own, used instead of the bundled default when present. */
  userLabConfigFile: string;
}

export function userDataPaths(userData: string): UserDataPaths {
  return {
    // Its own subdirectory: resetting the lab must not wipe Chromium's files or the window state.
    dataDir: join(userData, 'lab-data'),
    windowStateFile: join(userData, 'window-state.json'),
    userLabConfigFile: join(userData, 'lab-config.json'),
  };
}

/**
 * The lab configuration to load: the user's own file in userData when there is one, else the
 * default shipped in resources/ (inside the app: `<appPath>/resources/lab-config.json`).
 */
export function labConfigPath(
  paths: UserDataPaths,
  appPath: string,
  exists: (file: string) => boolean,
): string {
  return exists(paths.userLabConfigFile)
    ? paths.userLabConfigFile
    : join(appPath, 'resources', 'lab-config.json');
}
