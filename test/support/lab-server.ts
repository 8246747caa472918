import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabConfig } from '../../src/server/config/lab-config-schema';
import { parseLabConfig } from '../../src/server/config/load-lab-config';
import { createServer, type RunningServer, type ServerOptions } from '../../src/server';

/** The demo configuration of resources/, as a plain object to adapt in a test. */
export function demoConfigObject(): Record<string, unknown> {
  return JSON.parse(
    readFileSync(fileURLToPath(new URL('../../resources/lab-config.json', import.meta.url)), 'utf8'),
  ) as Record<string, unknown>;
}

export function labConfig(value: unknown = demoConfigObject()): LabConfig {
  return parseLabConfig(value, 'test configuration');
}

/** A fresh data directory holding a copy of the suite's seed (keys already generated). */
export function seededDataDir(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'trusty-lab-test-'));
  const seed = process.env.TRUSTY_LAB_TEST_SEED;
  if (seed) cpSync(seed, dataDir, { recursive: true });
  return dataDir;
}

/**
 * A provider on loopback, port 0, with a throwaway database: a copy of the suite's seed data
 * directory (keys already generated, see global-setup.ts), removed on close.
 */
export async function startLabServer(
  config: LabConfig = labConfig(),
  options: Partial<ServerOptions> = {},
): Promise<RunningServer> {
  const seed = process.env.TRUSTY_LAB_TEST_SEED;
  if (options.dataDir !== undefined || !seed) return createServer({ config, dataDir: null, ...options });
  const dataDir = seededDataDir();
  const server = await createServer({ config, dataDir, ...options });
  return {
    ...server,
    close: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
