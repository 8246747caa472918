import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../server/infrastructure/sqlite/open-database';

/**
 * The per-user directory of the lab's database and keys, where each platform keeps application data:
 * `$XDG_DATA_HOME/trusty-lab` or `~/.local/share/trusty-lab` (Linux and other Unixes, XDG Base
 * Directory spec), `~/Library/Application Support/trusty-lab` (macOS), `%APPDATA%/trusty-lab` (Windows).
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'trusty-lab');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'trusty-lab');
  // XDG Base Directory: a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.local', 'share'), 'trusty-lab');
}

/**
 * The lab's database in `dataDir`, which a command that works on a lab's data (recordings, keys) needs
 * to exist: it never makes a new data directory, as a mistyped --data would.
 */
export function labDatabaseIn(dataDir: string): string {
  const file = join(dataDir, DATABASE_FILE);
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) {
    throw new Error(`no lab data in ${dataDir} (run "trusty-lab serve" first, or pass --data DIR)`);
  }
  // SQLite would open a FIFO, and wait on it forever.
  if (!stat.isFile()) throw new Error(`${file} is not a regular file`);
  return file;
}
