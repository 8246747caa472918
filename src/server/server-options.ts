import type { LabConfig } from './config/lab-config-schema';
import type { Clock } from './domain/clock';

/** Where log lines go: one object per line; never secrets (tokens, passwords, keys). */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface ServerOptions {
  /** The validated lab configuration (see config/load-lab-config.ts). */
  config: LabConfig;
  /** Interface to listen on. Default 127.0.0.1 (DESIGN.md, "Security defaults"). */
  host?: string;
  /**
   * The provider's port; 0 (the default) picks a free one. The issuer is http://host:port unless
   * `issuer` is given.
   */
  port?: number;
  /**
   * The issuer identifier, when the provider is reached under another origin than http://host:port
   * (a reverse proxy, a published port): an origin, as `serve --issuer` checks it
   * (cli/commands/issuer-option.ts).
   */
  issuer?: string;
  /** The lab's port (lab UI and lab API, a separate origin); 0 (the default) picks a free one. */
  labPort?: number;
  /** Directory of the SQLite database and keys; null for a throwaway in-memory database. */
  dataDir: string | null;
  /** The per-launch secret of the lab API; random when absent. */
  labSecret?: string;
  /** The built lab UI to serve on the lab origin (web mode); absent: the lab API only. */
  rendererDir?: string;
  /** Record exchanges and checks for the inspector. Default true. */
  capture?: boolean;
  /** Real time when absent; the lab clock wraps it. */
  clock?: Clock;
  logger?: Logger;
  /** Path of a better-sqlite3 binary built for this runtime (Electron's ABI differs from Node's). */
  sqliteNativeBinding?: string;
}

export interface RunningServer {
  /** The issuer identifier, e.g. http://127.0.0.1:53122 (no trailing slash). */
  readonly issuer: string;
  /** Where the provider listens, e.g. http://127.0.0.1:53122: the issuer, unless one was given. */
  readonly providerOrigin: string;
  /** The lab origin, e.g. http://127.0.0.1:53123. */
  readonly labOrigin: string;
  /** The per-launch lab API secret. */
  readonly labSecret: string;
  /** The lab UI URL with the secret in its fragment (web mode). */
  readonly labUrl: string;
  /** Rotates the signing keys (also exposed by the lab API and the CLI). */
  rotateKeys(): Promise<string[]>;
  /**
   * Stops accepting, ends the lab's live event streams, gives requests in flight a grace (listen.ts)
   * before their connections are closed, closes the database.
   */
  close(): Promise<void>;
}
