import type { Database } from 'better-sqlite3';
import type { AccessTokenRepository } from '../../application/ports';
import type { AccessTokenRecord } from '../../domain/entities';
import { orNull, withoutNulls } from './row-mapping';

interface AccessTokenRow {
  jti: string;
  grant_id: string | null;
  client_id: string;
  sub: string | null;
  scope: string;
  jkt: string | null;
  issued_at: number;
  expires_at: number;
  revoked_at: number | null;
}

/** Records of issued JWT access tokens (RFC 9068), by `jti`, for revocation and introspection. */
export class SqliteAccessTokenRepository implements AccessTokenRepository {
  private readonly insert;
  private readonly select;
  private readonly markRevoked;

  constructor(db: Database) {
    this.insert = db.prepare(`INSERT INTO access_tokens
      (jti, grant_id, client_id, sub, scope, jkt, issued_at, expires_at, revoked_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.select = db.prepare<[string], AccessTokenRow>('SELECT * FROM access_tokens WHERE jti = ?');
    this.markRevoked = db.prepare(
      'UPDATE access_tokens SET revoked_at = ? WHERE jti = ? AND revoked_at IS NULL',
    );
  }

  save(token: AccessTokenRecord): void {
    this.insert.run(
      token.jti,
      orNull(token.grantId),
      token.clientId,
      orNull(token.sub),
      token.scope,
      orNull(token.jkt),
      token.issuedAt,
      token.expiresAt,
      orNull(token.revokedAt),
    );
  }

  find(jti: string): AccessTokenRecord | undefined {
    const row = this.select.get(jti);
    return row && toAccessTokenRecord(row);
  }

  revoke(jti: string, at: number): void {
    this.markRevoked.run(at, jti);
  }
}

function toAccessTokenRecord(row: AccessTokenRow): AccessTokenRecord {
  return {
    jti: row.jti,
    clientId: row.client_id,
    scope: row.scope,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    ...withoutNulls({ grantId: row.grant_id, sub: row.sub, jkt: row.jkt, revokedAt: row.revoked_at }),
  };
}
