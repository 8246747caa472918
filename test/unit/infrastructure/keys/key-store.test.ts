import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { openKeyStore, rs256Kid } from '../../../../src/server/infrastructure/keys/sqlite-key-store';
import { openDatabase } from '../../../../src/server/infrastructure/sqlite/open-database';

const T0 = 1_800_000_000_000;
const GRACE_SECONDS = 3600;
const manualClock = () => {
  let now = T0;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
};
const kids = (jwks: { keys: JWK[] }) => jwks.keys.map((k) => k.kid);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const sign = (key: { kid: string; alg: string; privateKey: CryptoKey }) =>
  new SignJWT({ sub: 'alice' })
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .setIssuedAt(T0 / 1000)
    .sign(key.privateKey);

describe('openKeyStore', () => {
  it('generates a PS256 RSA-2048 key and an ES256 P-256 key on first start, each with a published next key', async () => {
    const store = await openKeyStore({
      db: openDatabase({ dataDir: null }),
      clock: manualClock(),
      graceSeconds: GRACE_SECONDS,
    });
    const ps = store.signingKey('PS256');
    const es = store.signingKey('ES256');
    expect(ps.privateKey.algorithm).toMatchObject({ name: 'RSA-PSS', modulusLength: 2048 });
    expect(es.privateKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    expect(ps.privateKey.extractable).toBe(false);

    const jwks = store.publicJwks();
    // current + next for each algorithm; the RSA keys also under their RS256 kid.
    expect(jwks.keys).toHaveLength(6);
    for (const jwk of jwks.keys) {
      expect(jwk).toMatchObject({ use: 'sig' });
      expect(['PS256', 'RS256', 'ES256']).toContain(jwk.alg);
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(jwk).not.toHaveProperty(secret);
    }
    expect(kids(jwks)).toContain(ps.kid);
    expect(kids(jwks)).toContain(es.kid);
    expect(store.describe().filter((k) => k.state === 'next')).toHaveLength(2);
  });

  it('signs RS256 with the current RSA key, published under its own kid with alg RS256', async () => {
    const store = await openKeyStore({
      db: openDatabase({ dataDir: null }),
      clock: manualClock(),
      graceSeconds: GRACE_SECONDS,
    });
    const ps = store.signingKey('PS256');
    const rs = store.signingKey('RS256');
    expect(rs.alg).toBe('RS256');
    expect(rs.kid).toBe(rs256Kid(ps.kid));
    expect(rs.privateKey.algorithm.name).toBe('RSASSA-PKCS1-v1_5');
    const psJwk = store.publicJwks().keys.find((k) => k.kid === ps.kid);
    const rsJwk = store.publicJwks().keys.find((k) => k.kid === rs.kid);
    expect(rsJwk).toMatchObject({ alg: 'RS256', n: psJwk?.n, e: psJwk?.e });

    const token = await sign(rs);
    const key = store.verificationKey(rs.kid);
    expect(key).toBeDefined();
    await expect(jwtVerify(token, key as CryptoKey)).resolves.toBeDefined();
    // The PS256 public key cannot be used for an RS256 signature (distinct WebCrypto algorithms).
    await expect(jwtVerify(token, store.verificationKey(ps.kid) as CryptoKey)).rejects.toThrow();
  });

  it('refuses an algorithm it holds no key for', async () => {
    const store = await openKeyStore({
      db: openDatabase({ dataDir: null }),
      clock: manualClock(),
      graceSeconds: GRACE_SECONDS,
    });
    expect(() => store.signingKey('EdDSA')).toThrow(/no EdDSA signing key/);
  });

  it('loads the same keys when reopened, and they still sign and verify', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trusty-lab-keys-'));
    dirs.push(dataDir);
    const clock = manualClock();
    const db = openDatabase({ dataDir });
    const first = await openKeyStore({ db, clock, graceSeconds: GRACE_SECONDS });
    const jwksBefore = first.publicJwks();
    const token = await sign(first.signingKey('ES256'));
    db.close();

    const reopenedDb = openDatabase({ dataDir });
    const again = await openKeyStore({ db: reopenedDb, clock, graceSeconds: GRACE_SECONDS });
    expect(again.publicJwks()).toStrictEqual(jwksBefore);
    expect(again.signingKey('PS256').kid).toBe(first.signingKey('PS256').kid);
    const kid = decodeProtectedHeader(token).kid as string;
    await expect(jwtVerify(token, again.verificationKey(kid) as CryptoKey)).resolves.toBeDefined();
    reopenedDb.close();
  });

  it('rotate makes the published next key current: a key is in the JWKS before it signs', async () => {
    const store = await openKeyStore({
      db: openDatabase({ dataDir: null }),
      clock: manualClock(),
      graceSeconds: GRACE_SECONDS,
    });
    const before = kids(store.publicJwks());
    const oldCurrent = store.signingKey('PS256').kid;
    const nextKid = store.describe().find((k) => k.alg === 'PS256' && k.state === 'next')?.kid;

    await store.rotate();

    const newCurrent = store.signingKey('PS256').kid;
    expect(newCurrent).not.toBe(oldCurrent);
    expect(newCurrent).toBe(nextKid);
    expect(before).toContain(newCurrent);
    expect(before).toContain(store.signingKey('ES256').kid);
    expect(before).toContain(store.signingKey('RS256').kid);
    // A new next key is published, not yet signing.
    const newNext = store.describe().find((k) => k.alg === 'PS256' && k.state === 'next')?.kid;
    expect(newNext).toBeDefined();
    expect(before).not.toContain(newNext);
    expect(kids(store.publicJwks())).toContain(newNext);
    expect(store.currentKids()).toEqual(expect.arrayContaining([newCurrent, store.signingKey('ES256').kid]));
  });

  it('keeps retired keys published until the grace ends, then drops them', async () => {
    const clock = manualClock();
    const store = await openKeyStore({
      db: openDatabase({ dataDir: null }),
      clock,
      graceSeconds: GRACE_SECONDS,
    });
    const retired = store.signingKey('ES256');
    const retiredRs = store.signingKey('RS256');
    const token = await sign(retired);
    const jwksBefore = store.publicJwks();

    await store.rotate();
    const jwksAfter = store.publicJwks();
    expect(jwksAfter).not.toBe(jwksBefore); // the cache was invalidated by the rotation
    expect(kids(jwksAfter)).toContain(retired.kid);
    expect(kids(jwksAfter)).toContain(retiredRs.kid);
    expect(store.describe().find((k) => k.kid === retired.kid)).toMatchObject({
      state: 'retired',
      retiredAt: T0,
    });
    // A token signed before the rotation still verifies with its kid.
    await expect(jwtVerify(token, store.verificationKey(retired.kid) as CryptoKey)).resolves.toBeDefined();

    clock.advance(GRACE_SECONDS * 1000 - 1);
    expect(kids(store.publicJwks())).toContain(retired.kid);
    expect(store.verificationKey(retired.kid)).toBeDefined();

    clock.advance(1);
    expect(kids(store.publicJwks())).not.toContain(retired.kid);
    expect(kids(store.publicJwks())).not.toContain(retiredRs.kid);
    expect(store.verificationKey(retired.kid)).toBeUndefined();
    // current + next of each algorithm remain.
    expect(store.publicJwks().keys).toHaveLength(6);
  });

  it('persists the rotation: a reopened store signs with the rotated keys and still publishes the retired ones', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trusty-lab-keys-'));
    dirs.push(dataDir);
    const clock = manualClock();
    const db = openDatabase({ dataDir });
    const store = await openKeyStore({ db, clock, graceSeconds: GRACE_SECONDS });
    const old = store.signingKey('PS256').kid;
    await store.rotate();
    const current = store.signingKey('PS256').kid;
    db.close();

    const reopenedDb = openDatabase({ dataDir });
    const reopened = await openKeyStore({ db: reopenedDb, clock, graceSeconds: GRACE_SECONDS });
    expect(reopened.signingKey('PS256').kid).toBe(current);
    expect(kids(reopened.publicJwks())).toContain(old);
    reopenedDb.close();
  });

  it('serialises concurrent rotations: each promotes a different key', async () => {
    const store = await openKeyStore({
      db: openDatabase({ dataDir: null }),
      clock: manualClock(),
      graceSeconds: GRACE_SECONDS,
    });
    const start = store.signingKey('ES256').kid;
    await Promise.all([store.rotate(), store.rotate()]);
    const states = store.describe().filter((k) => k.alg === 'ES256');
    expect(states.filter((k) => k.state === 'current')).toHaveLength(1);
    expect(states.filter((k) => k.state === 'next')).toHaveLength(1);
    expect(states.filter((k) => k.state === 'retired')).toHaveLength(2);
    expect(states.find((k) => k.kid === start)?.state).toBe('retired');
  });

  it('returns the cached JWKS between rotations', async () => {
    const store = await openKeyStore({
      db: openDatabase({ dataDir: null }),
      clock: manualClock(),
      graceSeconds: GRACE_SECONDS,
    });
    expect(store.publicJwks()).toBe(store.publicJwks());
  });
});
