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

/** The repository, and the write it defers. */
export interface SqliteAccessTokens extends AccessTokenRepository {
  /** Writes the records saved since the last write, in one transaction. */
  flush(): void;
}

/**
 * Records of issued JWT access tokens (RFC 9068), by `jti`, for revocation and introspection.
 *
 * Group commit: a record is written with the others saved in the same turn of the event loop, in one
 * transaction, right after it (setImmediate) — one commit per token was the largest cost of a token
 * request after the signatures. Until then it is held here, and found and revoked here, so the
 * provider never sees the difference. What is not written fails closed: after a crash in that window,
 * or a write that failed, its token is unknown, hence refused. Whoever writes to access_tokens
 * directly (a grant's revocation, the purge) or closes the database calls flush() first.
 */
export function createSqliteAccessTokens(
  db: Database,
  /** Told of a write that failed after the fact (its tokens are then refused). */
  onWriteError: (error: unknown) => void = () => {},
): SqliteAccessTokens {
  const insert = db.prepare(`INSERT INTO access_tokens
      (jti, grant_id, client_id, sub, scope, jkt, issued_at, expires_at, revoked_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const select = db.prepare<[string], AccessTokenRow>('SELECT * FROM access_tokens WHERE jti = ?');
  const markRevoked = db.prepare(
    'UPDATE access_tokens SET revoked_at = ? WHERE jti = ? AND revoked_at IS NULL',
  );
  let pending = new Map<string, AccessTokenRecord>();
  let scheduled: NodeJS.Immediate | undefined;

  const insertAll = db.transaction((records: Iterable<AccessTokenRecord>) => {
    for (const token of records) {
      insert.run(
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
  });

  const flush = (): void => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    if (pending.size === 0) return;
    const records = [...pending.values()];
    pending = new Map();
    try {
      insertAll(records);
    } catch {
      // One by one, so that one bad record (a jti already stored) does not take the others with it.
      // A record that cannot be written is dropped: its token becomes unknown, hence refused.
      let first: unknown;
      for (const record of records) {
        try {
          insertAll([record]);
        } catch (e) {
          first ??= e;
        }
      }
      if (first !== undefined) throw first;
    }
  };

  const flushSoon = (): void => {
    scheduled = undefined;
    try {
      flush();
    } catch (e) {
      // No request to answer: the one that saved the token has had its response already.
      onWriteError(e);
    }
  };

  return {
    save(token) {
      // The primary key's promise, kept before the write: a jti is issued once.
      if (pending.has(token.jti)) throw new Error(`access token ${token.jti} is already recorded`);
      // Held as it will read back from its row: no key for an absent field.
      pending.set(token.jti, {
        jti: token.jti,
        clientId: token.clientId,
        scope: token.scope,
        issuedAt: token.issuedAt,
        expiresAt: token.expiresAt,
        ...withoutNulls({
          grantId: token.grantId,
          sub: token.sub,
          jkt: token.jkt,
          revokedAt: token.revokedAt,
        }),
      });
      scheduled ??= setImmediate(flushSoon);
    },
    find(jti) {
      const held = pending.get(jti);
      if (held) return held;
      const row = select.get(jti);
      return row && toAccessTokenRecord(row);
    },
    revoke(jti, at) {
      const held = pending.get(jti);
      if (held) {
        if (held.revokedAt === undefined) pending.set(jti, { ...held, revokedAt: at });
        return;
      }
      markRevoked.run(at, jti);
    },
    flush,
  };
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
