import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/server/infrastructure/sqlite/open-database';
import { createSqliteRepositories } from '../../../../src/server/infrastructure/sqlite/sqlite-repositories';
import { grant } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'trusty-lab-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('durability (WAL, synchronous = NORMAL)', () => {
  it('keeps every committed write when the process is killed with SIGKILL', async () => {
    // A child process opens the database with our settings, commits, then kills itself without
    // closing the database (no checkpoint, no cleanup): what a crash looks like.
    const entry = join(dir, 'child.ts');
    writeFileSync(
      entry,
      `import { openDatabase } from ${JSON.stringify(resolve('src/server/infrastructure/sqlite/open-database'))};
       import { createSqliteRepositories } from ${JSON.stringify(resolve('src/server/infrastructure/sqlite/sqlite-repositories'))};
       const repos = createSqliteRepositories(openDatabase({ dataDir: process.argv[2] }));
       repos.grants.save(${JSON.stringify(grant())});
       process.kill(process.pid, 'SIGKILL');`,
    );
    // CommonJS so that NODE_PATH resolves better-sqlite3 from this project.
    const outfile = join(dir, 'child.cjs');
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['better-sqlite3'],
      nodePaths: [resolve('node_modules')],
      logLevel: 'silent',
    });

    const dataDir = join(dir, 'data');
    const child = spawnSync(process.execPath, [outfile, dataDir], {
      env: { ...process.env, NODE_PATH: resolve('node_modules') },
    });
    expect(child.stderr.toString()).toBe('');
    expect(child.signal).toBe('SIGKILL');

    const db = openDatabase({ dataDir });
    expect(createSqliteRepositories(db).grants.find('grant-1')).toStrictEqual(grant());
    db.close();
  });
});
