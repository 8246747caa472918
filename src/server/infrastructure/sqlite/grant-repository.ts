import type { Database } from 'better-sqlite3';
import type { GrantRepository } from '../../application/ports';
import type { Grant } from '../../domain/entities';
import { orNull, type Writable } from './row-mapping';

/** A grant's row as `find` reads it: a raw row, as authorization-code-repository.ts explains. */
type GrantRow = [
  id: string,
  clientId: string,
  sub: string | null,
  scope: string,
  createdAt: number,
  revokedAt: number | null,
];

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
    this.select = db
      .prepare<[string], GrantRow>(
        'SELECT id, client_id, sub, scope, created_at, revoked_at FROM grants WHERE id = ?',
      )
      .raw(true);
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

function toGrant([id, clientId, sub, scope, createdAt, revokedAt]: GrantRow): Grant {
  const grant: Writable<Grant> = { id, clientId, scope, createdAt };
  if (sub !== null) grant.sub = sub;
  if (revokedAt !== null) grant.revokedAt = revokedAt;
  return grant;
}
