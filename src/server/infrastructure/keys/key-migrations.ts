import type { Migration } from '../sqlite/migrate';

export const KEYS_NAMESPACE = 'keys';

/**
 * The provider's signing keys and the lab-generated client keys, as JWKs. At most one `current` and
 * one `next` key per algorithm; `retired` keys keep the time they were retired, for the grace period.
 */
export const keyMigrations: readonly Migration[] = [
  {
    version: 1,
    up: `
      CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY,
        alg TEXT NOT NULL CHECK (alg IN ('PS256', 'ES256')),
        state TEXT NOT NULL CHECK (state IN ('current', 'next', 'retired')),
        private_jwk TEXT NOT NULL,
        public_jwk TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        retired_at INTEGER,
        CHECK ((state = 'retired') = (retired_at IS NOT NULL))
      );
      CREATE UNIQUE INDEX signing_keys_one_current_one_next ON signing_keys (alg, state)
        WHERE state IN ('current', 'next');

      CREATE TABLE lab_client_keys (
        client_id TEXT NOT NULL,
        alg TEXT NOT NULL,
        kid TEXT NOT NULL,
        private_jwk TEXT NOT NULL,
        public_jwk TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (client_id, alg)
      );
    `,
  },
];
