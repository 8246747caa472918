import type { Migration } from './migrate';

export const PROVIDER_NAMESPACE = 'provider';

/**
 * The provider's tables. Times are milliseconds since the epoch (the server's Clock). Handles are
 * stored as given by the callers, which pass their SHA-256 (`…_hash` columns); never in clear.
 * Tokens and codes reference their grant, so a grant's revocation reaches all of them.
 */
export const providerMigrations: readonly Migration[] = [
  {
    version: 1,
    up: `
      CREATE TABLE grants (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        sub TEXT,
        scope TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      );

      CREATE TABLE pushed_requests (
        request_uri_hash TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        params TEXT NOT NULL,
        dpop_jkt TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        consumed_at INTEGER
      );
      CREATE INDEX pushed_requests_expires_at ON pushed_requests (expires_at);

      CREATE TABLE authorization_codes (
        code_hash TEXT PRIMARY KEY,
        grant_id TEXT NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
        client_id TEXT NOT NULL,
        sub TEXT NOT NULL,
        redirect_uri TEXT NOT NULL,
        code_challenge TEXT NOT NULL,
        code_challenge_method TEXT NOT NULL CHECK (code_challenge_method = 'S256'),
        scope TEXT NOT NULL,
        nonce TEXT,
        auth_time INTEGER NOT NULL,
        amr TEXT,
        acr TEXT,
        auth_time_required INTEGER NOT NULL,
        dpop_jkt TEXT,
        session_id TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        consumed_at INTEGER
      );
      CREATE INDEX authorization_codes_grant_id ON authorization_codes (grant_id);
      CREATE INDEX authorization_codes_expires_at ON authorization_codes (expires_at);

      CREATE TABLE refresh_tokens (
        token_hash TEXT PRIMARY KEY,
        grant_id TEXT NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
        client_id TEXT NOT NULL,
        sub TEXT NOT NULL,
        scope TEXT NOT NULL,
        jkt TEXT,
        auth_time INTEGER NOT NULL,
        amr TEXT,
        acr TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER,
        rotated_at INTEGER
      );
      CREATE INDEX refresh_tokens_grant_id ON refresh_tokens (grant_id);
      CREATE INDEX refresh_tokens_expires_at ON refresh_tokens (expires_at);

      CREATE TABLE access_tokens (
        jti TEXT PRIMARY KEY,
        grant_id TEXT REFERENCES grants (id) ON DELETE CASCADE,
        client_id TEXT NOT NULL,
        sub TEXT,
        scope TEXT NOT NULL,
        jkt TEXT,
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX access_tokens_grant_id ON access_tokens (grant_id);
      CREATE INDEX access_tokens_expires_at ON access_tokens (expires_at);

      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        sub TEXT NOT NULL,
        auth_time INTEGER NOT NULL,
        amr TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        ended_at INTEGER
      );
      CREATE INDEX sessions_expires_at ON sessions (expires_at);

      CREATE TABLE consents (
        sub TEXT NOT NULL,
        client_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        granted_at INTEGER NOT NULL,
        PRIMARY KEY (sub, client_id, scope)
      ) WITHOUT ROWID;

      CREATE TABLE interactions (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        params TEXT NOT NULL,
        request_uri_hash TEXT,
        dpop_jkt TEXT,
        sub TEXT,
        auth_time INTEGER,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX interactions_expires_at ON interactions (expires_at);
    `,
  },
];
