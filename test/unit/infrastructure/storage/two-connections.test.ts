import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/server/infrastructure/sqlite/open-database';
import { createSqliteRepositories } from '../../../../src/server/infrastructure/sqlite/sqlite-repositories';
import { T0, code, grant } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'trusty-lab-two-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('two connections on one database file', () => {
  it('let exactly one of them consume a code (RFC 6749 §4.1.2)', () => {
    const a = openDatabase({ dataDir: dir });
    const b = openDatabase({ dataDir: dir });
    const reposA = createSqliteRepositories(a);
    const reposB = createSqliteRepositories(b);
    reposA.grants.save(grant());
    reposA.authorizationCodes.save(code());

    const results = [
      reposB.authorizationCodes.consume('code-hash-1', T0 + 1),
      reposA.authorizationCodes.consume('code-hash-1', T0 + 2),
    ];
    expect(results).toEqual([true, false]);
    expect(reposA.authorizationCodes.find('code-hash-1')?.consumedAt).toBe(T0 + 1);
    a.close();
    b.close();
  });
});
