import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from '../../src/server';
import { labConfig } from './lab-server';

/**
 * One temporary directory for the whole run, made the workers' (and the processes they start) system
 * temporary directory, and removed at the end with everything the tests left in it: a data directory
 * of a test that failed before its own clean-up, a served lab's lock and journal.
 *
 * Generating signing keys (RSA-2048 above all) is the slow part of a first start. The suite makes
 * them once: a seed data directory that each test server starts from a copy of (see lab-server.ts).
 */
export default async function setup(): Promise<() => void> {
  const runDir = mkdtempSync(join(tmpdir(), 'trusty-lab-tests-'));
  // os.tmpdir() reads TMPDIR on POSIX systems, TEMP and TMP on Windows.
  for (const name of ['TMPDIR', 'TEMP', 'TMP']) process.env[name] = runDir;
  const seed = mkdtempSync(join(runDir, 'seed-'));
  const server = await createServer({ config: labConfig(), dataDir: seed });
  await server.close();
  process.env.TRUSTY_LAB_TEST_SEED = seed;
  return () => rmSync(runDir, { recursive: true, force: true });
}
