import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultLabConfigPath, LabConfigError, loadLabConfig } from '../../server/config/load-lab-config';
import { parseIssuerIdentifier } from './issuer-option';
import { createServer } from '../../server';
import { createStderrLogger } from '../../server/logger';
import type { CommandIo } from './recordings';
import { defaultDataDir } from './default-data-dir';
import { writeOwnerOnly } from './owner-only-file';

export const SERVE_USAGE = `usage: trusty-lab serve [--port N] [--host ADDR] [--lab-port N] [--config FILE]
                       [--data DIR | --in-memory] [--lab-url-file FILE] [--no-capture]
                       [--issuer URL]

  --port N            the provider's port (0: any free port; default 0)
  --host ADDR         the interface to listen on (default 127.0.0.1: this machine only; localhost
                      is served as 127.0.0.1, the address the demo clients' redirect URIs name;
                      0.0.0.0 or :: listens on every interface, its URLs naming 127.0.0.1)
  --lab-port N        the lab UI's port, another origin (0: any free port; default 0)
  --config FILE       the lab configuration (default: the demo configuration in resources/)
  --data DIR          where the database, keys and recordings live, served by one provider at a time
                      (default: ${defaultDataDir()})
  --in-memory         a throwaway database: nothing is kept after exit
  --lab-url-file FILE write the lab UI's URL, with its secret, to FILE (mode 0600) when ready
  --no-capture        do not record the provider's exchanges (the inspector then shows only the
                      demo client's own view)
  --issuer URL        the issuer identifier, when clients reach the provider under another origin
                      than its address (a reverse proxy, a port published under another number):
                      that origin exactly, e.g. https://lab.example (default http://HOST:PORT)

The first line on stdout is the issuer URL; logs go to stderr.`;

/** The built lab UI beside the built CLI (out/cli → out/renderer), when it exists. */
function rendererDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = resolve(here, '../renderer');
  return existsSync(resolve(dir, 'index.html')) ? dir : undefined;
}

const parsePort = (value: string | undefined, name: string): number => {
  if (value === undefined) return 0;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535)
    throw new UsageError(`${name} must be a port number (0-65535)`);
  return Number(value);
};

class UsageError extends Error {}

/**
 * `trusty-lab serve`: the provider and the lab in web mode. Exit codes: 0 after a clean stop, 2 for
 * bad arguments or configuration, 1 when it cannot start (port in use, unwritable data directory).
 */
export async function runServeCommand(argv: string[], io: CommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'lab-port': { type: 'string' },
        config: { type: 'string' },
        data: { type: 'string' },
        'in-memory': { type: 'boolean' },
        'lab-url-file': { type: 'string' },
        'no-capture': { type: 'boolean' },
        issuer: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
    if (values.help) {
      io.stdout.write(`${SERVE_USAGE}\n`);
      return 0;
    }
    if (values.data && values['in-memory'])
      throw new UsageError('--data and --in-memory cannot be used together');
    // An empty value is a mistake, not "the default": an empty --host would listen on every interface.
    for (const name of ['host', 'config', 'data', 'lab-url-file', 'port', 'lab-port', 'issuer'] as const) {
      if (values[name] === '') throw new UsageError(`--${name} needs a value`);
    }
  } catch (e) {
    io.stderr.write(`trusty-lab serve: ${(e as Error).message}\n${SERVE_USAGE}\n`);
    return 2;
  }

  const logger = createStderrLogger();
  let port: number;
  let labPort: number;
  let config;
  let issuer: string | undefined;
  const configFile = values.config ? resolve(values.config) : defaultLabConfigPath();
  try {
    port = parsePort(values.port, '--port');
    if (values.issuer !== undefined) issuer = parseIssuerIdentifier(values.issuer);
    labPort = parsePort(values['lab-port'], '--lab-port');
    // The lab UI and its API live on a second origin, apart from the provider: two ports.
    if (port !== 0 && port === labPort) throw new UsageError('--port and --lab-port must differ');
    config = loadLabConfig(configFile);
  } catch (e) {
    io.stderr.write(`trusty-lab serve: ${(e as Error).message}\n`);
    return 2;
  }
  const host = values.host ?? '127.0.0.1';
  if (!['127.0.0.1', '::1', 'localhost'].includes(host)) {
    logger.warn('listening beyond this machine: anyone who can reach it can use the lab', { host });
  }

  let server;
  try {
    server = await createServer({
      config,
      host,
      port,
      labPort,
      ...(issuer === undefined ? {} : { issuer }),
      dataDir: values['in-memory'] ? null : resolve(values.data ?? defaultDataDir()),
      rendererDir: rendererDir(),
      capture: !values['no-capture'],
      logger,
    });
  } catch (e) {
    if (e instanceof LabConfigError) {
      io.stderr.write(`trusty-lab serve: ${e.message}\n`);
      return 2;
    }
    io.stderr.write(`trusty-lab serve: ${(e as Error).message}\n`);
    return 1;
  }

  // Listening for SIGTERM/SIGINT before the issuer line goes out: whoever reads that line may stop
  // the provider at once, and it must still shut down cleanly (database closed, lock released).
  const stopSignal = new Promise<void>((done) => {
    const stop = (signal: string) => {
      logger.info('stopping', { signal });
      done();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  // The lab URL file first: the issuer line says the provider is ready, and it is not if that failed.
  if (values['lab-url-file']) {
    try {
      await writeOwnerOnly(values['lab-url-file'], (file) => void file.write(`${server.labUrl}\n`));
    } catch (e) {
      io.stderr.write(`trusty-lab serve: cannot write ${values['lab-url-file']}: ${(e as Error).message}\n`);
      await server.close();
      return 1;
    }
  }
  io.stdout.write(`${server.issuer}\n`);
  logger.info('provider ready', {
    issuer: server.issuer,
    ...(server.providerOrigin === server.issuer ? {} : { listening: server.providerOrigin }),
    lab: server.labOrigin,
    config: configFile,
  });
  // The lab URL carries the per-launch secret: shown to the person at the terminal, never logged.
  if (process.stderr.isTTY) io.stderr.write(`\n  Lab UI: ${server.labUrl}\n\n`);

  await stopSignal;
  await server.close();
  logger.info('stopped');
  return 0;
}
