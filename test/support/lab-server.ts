import { readFileSync } from 'node:fs';
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

/** A provider on loopback, port 0, in-memory database: one per test file. */
export async function startLabServer(
  config: LabConfig = labConfig(),
  options: Partial<ServerOptions> = {},
): Promise<RunningServer> {
  return createServer({ config, dataDir: null, ...options });
}
