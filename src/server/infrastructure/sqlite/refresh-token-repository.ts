import type { Database } from 'better-sqlite3';
import type { RefreshTokenRepository } from '../../application/ports';
import type { RefreshToken } from '../../domain/entities';
import { optionalList, orNull, toJson, withoutNulls } from './row-mapping';

interface RefreshTokenRow {
  token_hash: string;
  grant_id: string;
  client_id: string;
  sub: string;
  scope: string;
  jkt: string | null;
  auth_time: number;
  amr: string | null;
  acr: string | null;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  rotated_at: number | null;
}

/** Refresh tokens, by the hash of the token. Its grant must be saved first. */
export class SqliteRefreshTokenRepository implements RefreshTokenRepository {
  private readonly insert;
  private readonly select;
  private readonly markRevoked;
  private readonly setRotated;

  constructor(db: Database) {
    this.insert = db.prepare(`INSERT INTO refresh_tokens
      (token_hash, grant_id, client_id, sub, scope, jkt, auth_time, amr, acr, created_at, expires_at, revoked_at, rotated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.select = db.prepare<[string], RefreshTokenRow>('SELECT * FROM refresh_tokens WHERE token_hash = ?');
    // The first revocation time is kept: a later revoke must not move it.
    this.markRevoked = db.prepare(
      'UPDATE refresh_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL',
    );
    // The first rotation starts the grace window; a second use inside it must not extend it.
    this.setRotated = db.prepare(
      'UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ? AND rotated_at IS NULL',
    );
  }

  save(token: RefreshToken): void {
    this.insert.run(
      token.tokenHash,
      token.grantId,
      token.clientId,
      token.sub,
      token.scope,
      orNull(token.jkt),
      token.authTime,
      token.amr === undefined ? null : toJson(token.amr),
      orNull(token.acr),
      token.createdAt,
      token.expiresAt,
      orNull(token.revokedAt),
      orNull(token.rotatedAt),
    );
  }

  find(tokenHash: string): RefreshToken | undefined {
    const row = this.select.get(tokenHash);
    return row && toRefreshToken(row);
  }

  revoke(tokenHash: string, at: number): void {
    this.markRevoked.run(at, tokenHash);
  }

  markRotated(tokenHash: string, at: number): boolean {
    return this.setRotated.run(at, tokenHash).changes === 1;
  }
}

function toRefreshToken(row: RefreshTokenRow): RefreshToken {
  return {
    tokenHash: row.token_hash,
    grantId: row.grant_id,
    clientId: row.client_id,
    sub: row.sub,
    scope: row.scope,
    authTime: row.auth_time,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ...withoutNulls({
      jkt: row.jkt,
      amr: optionalList(row.amr),
      acr: row.acr,
      revokedAt: row.revoked_at,
      rotatedAt: row.rotated_at,
    }),
  };
}
