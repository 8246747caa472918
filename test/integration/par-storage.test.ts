import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createPkce } from '../support/pkce';
import { seededDataDir, startLabServer } from '../support/lab-server';
import type { RunningServer } from '../../src/server';

/** DESIGN.md, "Security defaults": client secrets are never stored in clear — not even inside a pushed request. */
describe('a pushed authorization request is stored without the client’s credentials', () => {
  let server: RunningServer;
  const dataDir = seededDataDir();
  beforeAll(async () => {
    server = await startLabServer(undefined, { dataDir });
  });
  afterAll(() => server?.close());

  it('keeps the authorization parameters and drops client_secret', async () => {
    const { challenge } = await createPkce();
    const response = await fetch(`${server.issuer}/par`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: 'demo-standard',
        client_secret: 'demo-standard-secret-not-for-production',
        response_type: 'code',
        redirect_uri: 'http://127.0.0.1:1/callback',
        scope: 'openid',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 'kept',
      }),
    });
    expect(response.status).toBe(201);
    const db = new Database(join(dataDir, 'trusty-lab.db'), { readonly: true });
    const rows = db.prepare('SELECT params FROM pushed_requests').all() as { params: string }[];
    db.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.params).toContain('kept');
    expect(rows[0]?.params).not.toContain('demo-standard-secret');
  });
});
