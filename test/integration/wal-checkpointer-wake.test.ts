import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seededDataDir, startLabServer } from '../support/lab-server';
import type { RunningServer } from '../../src/server';
import { labApiPaths } from '../../src/common/lab-api';

// The checkpointer's watch on the WAL rests when the lab is idle (wal-checkpointer.ts): a request is
// what wakes it. Its wake is counted here, through the real checkpointer.
const wakes = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/server/infrastructure/sqlite/wal-checkpointer', async (importOriginal) => {
  const real =
    await importOriginal<typeof import('../../src/server/infrastructure/sqlite/wal-checkpointer')>();
  return {
    ...real,
    startWalCheckpointer: (options: Parameters<typeof real.startWalCheckpointer>[0]) => {
      const checkpointer = real.startWalCheckpointer(options);
      return {
        ...checkpointer,
        wake() {
          wakes.count++;
          checkpointer.wake();
        },
      };
    },
  };
});

describe('the WAL checkpointer is woken by requests', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startLabServer(undefined, { dataDir: seededDataDir() });
  });
  afterAll(() => server?.close());

  it('to the provider and to the lab', async () => {
    const before = wakes.count;
    expect((await fetch(`${server.issuer}/.well-known/openid-configuration`)).status).toBe(200);
    expect(wakes.count).toBe(before + 1);
    const lab = await fetch(`${server.labOrigin}${labApiPaths.recordings}`, {
      headers: { authorization: `Bearer ${server.labSecret}` },
    });
    expect(lab.status).toBe(200);
    expect(wakes.count).toBe(before + 2);
  });
});
