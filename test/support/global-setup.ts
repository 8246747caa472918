import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from '../../src/server';
import { labConfig } from './lab-server';

/**
 * Generating signing keys (RSA-2048 above all) is the slow part of a first start. The suite makes
 * them once: a seed data directory that each test server starts from a copy of (see lab-server.ts).
 */
export default async function setup(): Promise<() => void> {
  const seed = mkdtempSync(join(tmpdir(), 'trusty-lab-seed-'));
  const server = await createServer({ config: labConfig(), dataDir: seed });
  await server.close();
  process.env.TRUSTY_LAB_TEST_SEED = seed;
  return () => rmSync(seed, { recursive: true, force: true });
}
