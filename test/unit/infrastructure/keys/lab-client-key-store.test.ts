import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, createLocalJWKSet, importJWK, jwtVerify } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { openLabClientKeyStore } from '../../../../src/server/infrastructure/keys/lab-client-key-store';
import { openDatabase } from '../../../../src/server/infrastructure/sqlite/open-database';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const clients = [
  { client_id: 'fapi-client', algs: ['ES256', 'PS256', 'EdDSA'] as const },
  { client_id: 'other', algs: ['ES256'] as const },
];

describe('openLabClientKeyStore', () => {
  it('generates a key pair per configured algorithm, private JWKs with kid and alg', async () => {
    const store = await openLabClientKeyStore({ db: openDatabase({ dataDir: null }), clients });
    const privates = store.privateJwks('fapi-client');
    expect(privates.map((k) => k.alg)).toEqual(['ES256', 'PS256', 'EdDSA']);
    for (const jwk of privates) {
      expect(jwk.kid).toEqual(expect.any(String));
      expect(jwk.d).toEqual(expect.any(String));
    }
    expect(privates.map((k) => [k.kty, k.crv])).toEqual([
      ['EC', 'P-256'],
      ['RSA', undefined],
      ['OKP', 'Ed25519'],
    ]);

    const jwks = store.publicJwks('fapi-client');
    expect(jwks?.keys.map((k) => k.kid)).toEqual(privates.map((k) => k.kid));
    for (const jwk of jwks?.keys ?? []) {
      expect(jwk.use).toBe('sig');
      expect(jwk).not.toHaveProperty('d');
    }
  });

  it('knows nothing of clients without generated keys', async () => {
    const store = await openLabClientKeyStore({ db: openDatabase({ dataDir: null }), clients });
    expect(store.publicJwks('unknown')).toBeUndefined();
    expect(store.privateJwks('unknown')).toEqual([]);
  });

  it('keeps the same keys across restarts, and generates only what a new configuration adds', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trusty-lab-client-keys-'));
    dirs.push(dataDir);
    const db = openDatabase({ dataDir });
    const first = await openLabClientKeyStore({ db, clients: [{ client_id: 'c', algs: ['ES256'] }] });
    const es = first.privateJwks('c')[0];
    db.close();

    const reopenedDb = openDatabase({ dataDir });
    const again = await openLabClientKeyStore({
      db: reopenedDb,
      clients: [{ client_id: 'c', algs: ['ES256', 'PS256'] }],
    });
    expect(again.privateJwks('c')[0]).toStrictEqual(es);
    expect(again.privateJwks('c')).toHaveLength(2);
    reopenedDb.close();
  });

  it('private and public halves match: a client assertion signed with one verifies with the other', async () => {
    const store = await openLabClientKeyStore({ db: openDatabase({ dataDir: null }), clients });
    const jwks = createLocalJWKSet(store.publicJwks('fapi-client') ?? { keys: [] });
    for (const jwk of store.privateJwks('fapi-client')) {
      const alg = jwk.alg as string;
      const jwt = await new SignJWT({ iss: 'fapi-client' })
        .setProtectedHeader({ alg, kid: jwk.kid as string })
        .sign(await importJWK(jwk, alg));
      await expect(jwtVerify(jwt, jwks)).resolves.toBeDefined();
    }
  });

  it('returns copies: a caller cannot alter the stored keys', async () => {
    const store = await openLabClientKeyStore({ db: openDatabase({ dataDir: null }), clients });
    const first = store.privateJwks('other')[0];
    if (first) first.kid = 'tampered';
    expect(store.privateJwks('other')[0]?.kid).not.toBe('tampered');
  });
});
