import type { JWK } from 'jose';
import type { Database } from 'better-sqlite3';
import type { LabClientKeyStore } from '../../application/ports';
import { migrate } from '../sqlite/migrate';
import { generateJwkPair, type JwkPair, type KeyPairAlg } from './generate-jwk-pair';
import { KEYS_NAMESPACE, keyMigrations } from './key-migrations';

export interface LabClientKeys {
  readonly client_id: string;
  /** The client's `lab.generate_keys`. */
  readonly algs: readonly KeyPairAlg[];
}

export interface OpenLabClientKeyStoreOptions {
  readonly db: Database;
  /** Only the clients whose configuration has `lab.generate_keys`. */
  readonly clients: readonly LabClientKeys[];
  readonly now?: () => number;
}

interface LabClientKeyRow {
  client_id: string;
  alg: KeyPairAlg;
  private_jwk: string;
  public_jwk: string;
}

/**
 * Key pairs the lab generates for its configured clients (`lab.generate_keys`): generated on first
 * start and kept in the data directory, so that the demo client and the scenario runner can sign
 * client assertions and the provider registers only the public halves — no private key in a file.
 */
export async function openLabClientKeyStore({
  db,
  clients,
  now = Date.now,
}: OpenLabClientKeyStoreOptions): Promise<LabClientKeyStore> {
  migrate(db, KEYS_NAMESPACE, keyMigrations);
  const select = db.prepare<[string, string], LabClientKeyRow>(
    'SELECT client_id, alg, private_jwk, public_jwk FROM lab_client_keys WHERE client_id = ? AND alg = ?',
  );
  const insert = db.prepare(`INSERT OR IGNORE INTO lab_client_keys
    (client_id, alg, kid, private_jwk, public_jwk, created_at) VALUES (?, ?, ?, ?, ?, ?)`);

  const wanted = clients.flatMap(({ client_id, algs }) =>
    [...new Set(algs)].map((alg) => ({ client_id, alg })),
  );
  const missing = wanted.filter(({ client_id, alg }) => !select.get(client_id, alg));
  const generated: JwkPair[] = await Promise.all(missing.map(({ alg }) => generateJwkPair(alg)));
  // OR IGNORE: if another process generated the same key meanwhile, its key wins and ours is dropped.
  db.transaction(() => {
    missing.forEach(({ client_id }, i) => {
      const pair = generated[i];
      if (pair) {
        insert.run(
          client_id,
          pair.alg,
          pair.kid,
          JSON.stringify(pair.privateJwk),
          JSON.stringify(pair.publicJwk),
          now(),
        );
      }
    });
  }).immediate();

  const privateByClient = new Map<string, JWK[]>();
  const publicByClient = new Map<string, JWK[]>();
  for (const { client_id, alg } of wanted) {
    const row = select.get(client_id, alg);
    if (!row) throw new Error(`lab key ${alg} of client ${client_id} was not stored`);
    privateByClient.set(client_id, [
      ...(privateByClient.get(client_id) ?? []),
      JSON.parse(row.private_jwk) as JWK,
    ]);
    publicByClient.set(client_id, [
      ...(publicByClient.get(client_id) ?? []),
      JSON.parse(row.public_jwk) as JWK,
    ]);
  }

  return {
    privateJwks: (clientId) => (privateByClient.get(clientId) ?? []).map((jwk) => ({ ...jwk })),
    publicJwks: (clientId) => {
      const keys = publicByClient.get(clientId);
      return keys && { keys: keys.map((jwk) => ({ ...jwk })) };
    },
  };
}
