import type { Database } from 'better-sqlite3';
import type { GrantRepository } from '../../application/ports';
import type { Grant } from '../../domain/entities';
import { orNull, withoutNulls } from './row-mapping';

interface GrantRow {
  id: string;
  client_id: string;
  sub: string | null;
  scope: string;
  created_at: number;
  revoked_at: number | null;
}

/** Grants, and the revocation that reaches every token issued under one. */
export class SqliteGrantRepository implements GrantRepository {
  private readonly insert;
  private readonly select;
  private readonly revokeCascade;

  /** `beforeRevoke` writes what other repositories hold back of the rows the revocation updates. */
  constructor(
    db: Database,
    private readonly beforeRevoke: () => void = () => {},
  ) {
    this.insert = db.prepare(
      'INSERT INTO grants (id, client_id, sub, scope, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.select = db.prepare<[string], GrantRow>('SELECT * FROM grants WHERE id = ?');
    const revokeGrant = db.prepare('UPDATE grants SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
    const revokeRefreshTokens = db.prepare(
      'UPDATE refresh_tokens SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL',
    );
    const revokeAccessTokens = db.prepare(
      'UPDATE access_tokens SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL',
    );
    // RFC 7009 §2.1 (and RFC 6749 §4.1.2 on code reuse): revoking a grant invalidates every token
    // issued under it; one transaction, so no token of a revoked grant is ever seen as live.
    this.revokeCascade = db.transaction((id: string, at: number) => {
      revokeGrant.run(at, id);
      revokeRefreshTokens.run(at, id);
      revokeAccessTokens.run(at, id);
    });
  }

  save(grant: Grant): void {
    this.insert.run(
      grant.id,
      grant.clientId,
      orNull(grant.sub),
      grant.scope,
      grant.createdAt,
      orNull(grant.revokedAt),
    );
  }

  find(id: string): Grant | undefined {
    const row = this.select.get(id);
    return row && toGrant(row);
  }

  revoke(id: string, at: number): void {
    this.beforeRevoke();
    this.revokeCascade.immediate(id, at);
  }
}

function toGrant(row: GrantRow): Grant {
  return {
    id: row.id,
    clientId: row.client_id,
    scope: row.scope,
    createdAt: row.created_at,
    ...withoutNulls({ sub: row.sub, revokedAt: row.revoked_at }),
  };
}
