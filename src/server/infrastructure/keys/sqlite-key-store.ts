import { importJWK, type JSONWebKeySet, type JWK } from 'jose';
import type { Database } from 'better-sqlite3';
import type { KeyStore, SigningKey } from '../../application/ports';
import type { Clock } from '../../domain/clock';
import { migrate } from '../sqlite/migrate';
import { generateJwkPair, type JwkPair } from './generate-jwk-pair';
import { KEYS_NAMESPACE, keyMigrations } from './key-migrations';

type ProviderAlg = 'PS256' | 'ES256';
type KeyState = 'current' | 'next' | 'retired';

/** The algorithms the provider holds a key for; RS256 signs with the PS256 (RSA) key. */
export const PROVIDER_KEY_ALGS: readonly ProviderAlg[] = ['PS256', 'ES256'];

/**
 * The `kid` under which an RSA key is also published for RS256. Relying parties pick a key by `kid`
 * and refuse one whose `alg` differs from the JWS header's (RFC 7517 §4.4), and a WebCrypto key is
 * bound to one algorithm; so the same RSA key appears twice in the JWKS, once per algorithm.
 */
export const rs256Kid = (kid: string): string => `${kid}.RS256`;

interface SigningKeyRow {
  kid: string;
  alg: ProviderAlg;
  state: KeyState;
  private_jwk: string;
  public_jwk: string;
  created_at: number;
  retired_at: number | null;
}

/** One published JWK and its imported public key. */
interface PublishedKey {
  readonly jwk: JWK;
  readonly publicKey: CryptoKey;
}

/** A stored key, imported once: its private key(s) sign, its published entries verify. */
interface LoadedKey {
  readonly kid: string;
  readonly alg: ProviderAlg;
  readonly state: KeyState;
  readonly createdAt: number;
  readonly retiredAt?: number;
  readonly signing: readonly SigningKey[];
  readonly published: readonly PublishedKey[];
}

export interface KeyDescription {
  readonly kid: string;
  readonly alg: ProviderAlg;
  readonly state: KeyState;
  readonly createdAt: number;
  readonly retiredAt?: number;
  /** When a retired key leaves the JWKS. */
  readonly unpublishedAt?: number;
}

export interface OpenKeyStoreOptions {
  readonly db: Database;
  readonly clock: Clock;
  /** How long a retired key stays published, so that what it signed still verifies (seconds). */
  readonly graceSeconds: number;
}

export interface SqliteKeyStore extends KeyStore {
  /** The kids that sign now, one per key (RS256 signs under `rs256Kid` of the PS256 key's kid). */
  currentKids(): string[];
  /** The keys and their states, for the lab (never key material). */
  describe(): readonly KeyDescription[];
}

/**
 * Opens the provider's key store: loads the keys from SQLite, generating them on first start
 * (DESIGN.md, "Security defaults"), and imports every CryptoKey once, here and at rotation.
 */
export async function openKeyStore({
  db,
  clock,
  graceSeconds,
}: OpenKeyStoreOptions): Promise<SqliteKeyStore> {
  migrate(db, KEYS_NAMESPACE, keyMigrations);
  const store = new KeyStoreImpl(db, clock, graceSeconds * 1000);
  await store.init();
  return store;
}

class KeyStoreImpl implements SqliteKeyStore {
  private keys: LoadedKey[] = [];
  private jwksCache: { jwks: JSONWebKeySet; validUntil: number } | undefined;
  private rotation: Promise<unknown> = Promise.resolve();

  private readonly selectKeys;
  private readonly selectByState;
  private readonly insertKey;
  private readonly retireCurrent;
  private readonly promoteNext;
  private readonly deleteExpired;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly graceMs: number,
  ) {
    this.selectKeys = db.prepare<[], SigningKeyRow>('SELECT * FROM signing_keys ORDER BY created_at, kid');
    this.selectByState = db.prepare<[ProviderAlg, KeyState], { kid: string }>(
      'SELECT kid FROM signing_keys WHERE alg = ? AND state = ?',
    );
    this.insertKey =
      db.prepare(`INSERT INTO signing_keys (kid, alg, state, private_jwk, public_jwk, created_at, retired_at)
      VALUES (?, ?, ?, ?, ?, ?, NULL)`);
    this.retireCurrent = db.prepare(
      "UPDATE signing_keys SET state = 'retired', retired_at = ? WHERE alg = ? AND state = 'current'",
    );
    this.promoteNext = db.prepare(
      "UPDATE signing_keys SET state = 'current' WHERE alg = ? AND state = 'next'",
    );
    this.deleteExpired = db.prepare("DELETE FROM signing_keys WHERE state = 'retired' AND retired_at <= ?");
  }

  async init(): Promise<void> {
    // First start (or a key missing): generate outside the transaction (it is async), then insert
    // only what is still missing, under the write lock.
    const missing: { alg: ProviderAlg; state: 'current' | 'next' }[] = [];
    for (const alg of PROVIDER_KEY_ALGS) {
      for (const state of ['current', 'next'] as const) {
        if (!this.selectByState.get(alg, state)) missing.push({ alg, state });
      }
    }
    if (missing.length > 0) {
      const generated = await Promise.all(missing.map(({ alg }) => generateJwkPair(alg)));
      const now = this.clock.now();
      this.db
        .transaction(() => {
          missing.forEach(({ alg, state }, i) => {
            const pair = generated[i];
            if (pair && !this.selectByState.get(alg, state)) this.insert(pair, state, now);
          });
        })
        .immediate();
    }
    await this.load();
  }

  signingKey(alg: SigningKey['alg']): SigningKey {
    const keyAlg: ProviderAlg | undefined =
      alg === 'RS256' || alg === 'PS256' ? 'PS256' : alg === 'ES256' ? alg : undefined;
    const current = this.keys.find((k) => k.alg === keyAlg && k.state === 'current');
    const signing = current?.signing.find((s) => s.alg === alg);
    if (!signing) throw new Error(`the provider has no ${alg} signing key`);
    return signing;
  }

  publicJwks(): JSONWebKeySet {
    const now = this.clock.now();
    if (this.jwksCache && now < this.jwksCache.validUntil) return this.jwksCache.jwks;
    const published = this.keys.filter((k) => this.isPublished(k, now));
    const jwks: JSONWebKeySet = { keys: published.flatMap((k) => k.published.map((p) => ({ ...p.jwk }))) };
    // The JWKS changes only at rotation or when a retired key's grace ends: cache until then.
    const graceEnds = published.flatMap((k) =>
      k.retiredAt === undefined ? [] : [k.retiredAt + this.graceMs],
    );
    this.jwksCache = { jwks, validUntil: Math.min(Infinity, ...graceEnds) };
    return jwks;
  }

  verificationKey(kid: string): CryptoKey | undefined {
    const now = this.clock.now();
    for (const key of this.keys) {
      const match = key.published.find((p) => p.jwk.kid === kid);
      if (match) return this.isPublished(key, now) ? match.publicKey : undefined;
    }
    return undefined;
  }

  rotate(): Promise<void> {
    // One rotation at a time: two at once would both promote the same `next` key.
    const run = this.rotation.then(() => this.rotateNow());
    this.rotation = run.catch(() => undefined);
    return run;
  }

  currentKids(): string[] {
    return this.keys.filter((k) => k.state === 'current').map((k) => k.kid);
  }

  describe(): readonly KeyDescription[] {
    return this.keys.map((k) => ({
      kid: k.kid,
      alg: k.alg,
      state: k.state,
      createdAt: k.createdAt,
      ...(k.retiredAt === undefined
        ? {}
        : { retiredAt: k.retiredAt, unpublishedAt: k.retiredAt + this.graceMs }),
    }));
  }

  private async rotateNow(): Promise<void> {
    const fresh = await Promise.all(PROVIDER_KEY_ALGS.map((alg) => generateJwkPair(alg)));
    const now = this.clock.now();
    // The new `current` was published as `next` since the previous rotation (or first start): a key
    // is always in the JWKS before anything it signs can reach a relying party.
    this.db
      .transaction(() => {
        this.deleteExpired.run(now - this.graceMs);
        PROVIDER_KEY_ALGS.forEach((alg, i) => {
          this.retireCurrent.run(now, alg);
          this.promoteNext.run(alg);
          const pair = fresh[i];
          if (pair) this.insert(pair, 'next', now);
        });
      })
      .immediate();
    await this.load();
  }

  private insert(pair: JwkPair, state: 'current' | 'next', now: number): void {
    this.insertKey.run(
      pair.kid,
      pair.alg,
      state,
      JSON.stringify(pair.privateJwk),
      JSON.stringify(pair.publicJwk),
      now,
    );
  }

  /** Reads the stored keys; imports only those not already imported (by kid and state). */
  private async load(): Promise<void> {
    const now = this.clock.now();
    const previous = new Map(this.keys.map((k) => [k.kid, k]));
    const rows = this.selectKeys
      .all()
      .filter((r) => r.retired_at === null || r.retired_at + this.graceMs > now);
    this.keys = await Promise.all(
      rows.map(async (row) => {
        const known = previous.get(row.kid);
        if (known)
          return {
            ...known,
            state: row.state,
            ...(row.retired_at === null ? {} : { retiredAt: row.retired_at }),
          };
        return importRow(row);
      }),
    );
    this.jwksCache = undefined;
  }

  private isPublished(key: LoadedKey, now: number): boolean {
    return key.retiredAt === undefined || now < key.retiredAt + this.graceMs;
  }
}

async function importRow(row: SigningKeyRow): Promise<LoadedKey> {
  const privateJwk = JSON.parse(row.private_jwk) as JWK;
  const publicJwk = JSON.parse(row.public_jwk) as JWK;
  const algs: SigningKey['alg'][] = row.alg === 'PS256' ? ['PS256', 'RS256'] : ['ES256'];
  const signing: SigningKey[] = [];
  const published: PublishedKey[] = [];
  for (const alg of algs) {
    const kid = alg === 'RS256' ? rs256Kid(row.kid) : row.kid;
    // Private keys are imported non-extractable: once loaded, key material cannot be read back.
    const privateKey = await importCryptoKey({ ...privateJwk, kid, alg }, alg, false);
    const jwk: JWK = { ...publicJwk, kid, alg, use: 'sig' };
    signing.push({ kid, alg, privateKey });
    published.push({ jwk, publicKey: await importCryptoKey(jwk, alg, true) });
  }
  return {
    kid: row.kid,
    alg: row.alg,
    state: row.state,
    createdAt: row.created_at,
    ...(row.retired_at === null ? {} : { retiredAt: row.retired_at }),
    signing,
    published,
  };
}

async function importCryptoKey(jwk: JWK, alg: string, extractable: boolean): Promise<CryptoKey> {
  const key = await importJWK(jwk, alg, { extractable });
  if (key instanceof Uint8Array) throw new Error(`stored key ${jwk.kid ?? ''} is not an asymmetric key`);
  return key;
}
