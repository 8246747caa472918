import type { LabConfig } from '../server/config/lab-config-schema';
import type { RunningServer, ServerOptions } from '../server/server-options';

export interface ServerLifecycleDeps {
  createServer(options: ServerOptions): Promise<RunningServer>;
  /** Read on every start, so a reset picks up an edited configuration file. */
  loadConfig(): LabConfig;
  clearDataDir(dir: string): Promise<void>;
  /** Everything but the configuration and the ports; `dataDir` must be a real directory. */
  options: Omit<ServerOptions, 'config' | 'port' | 'labPort'> & { dataDir: string };
}

function portOf(origin: string): number {
  const port = Number(new URL(origin).port);
  return Number.isInteger(port) && port > 0 ? port : 0;
}

/**
 * The lab server's life in the desktop app: start once, stop on quit, and reset (stop, empty the data
 * directory, start again). Operations run one at a time, in call order, so a reset clicked twice or a
 * quit during a reset never has two servers on one database.
 *
 * A restart asks for the ports it had, so the lab origin the window was opened on (and the issuer that
 * relying parties were configured with) stays the same; if another program took a port meanwhile it
 * falls back to free ones, and the caller sees the new origins on the returned server.
 */
export class ServerLifecycle {
  #server: RunningServer | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #ports: { port: number; labPort: number } = { port: 0, labPort: 0 };

  constructor(private readonly deps: ServerLifecycleDeps) {}

  get current(): RunningServer | null {
    return this.#server;
  }

  start(): Promise<RunningServer> {
    return this.#serial(() => this.#start());
  }

  stop(): Promise<void> {
    return this.#serial(() => this.#stop());
  }

  reset(): Promise<RunningServer> {
    return this.#serial(async () => {
      await this.#stop();
      await this.deps.clearDataDir(this.deps.options.dataDir);
      return this.#start();
    });
  }

  #serial<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(operation, operation);
    // The queue only orders; each caller still sees its own failure.
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #start(): Promise<RunningServer> {
    if (this.#server) return this.#server;
    const config = this.deps.loadConfig();
    const wanted = this.#ports;
    let server: RunningServer;
    try {
      server = await this.deps.createServer({ ...this.deps.options, config, ...wanted });
    } catch (error) {
      if (wanted.port === 0 && wanted.labPort === 0) throw error;
      server = await this.deps.createServer({ ...this.deps.options, config, port: 0, labPort: 0 });
    }
    this.#server = server;
    this.#ports = { port: portOf(server.issuer), labPort: portOf(server.labOrigin) };
    return server;
  }

  async #stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    await server.close();
  }
}
