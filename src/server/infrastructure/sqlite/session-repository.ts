import type { Database } from 'better-sqlite3';
import type { SessionRepository } from '../../application/ports';
import type { Session } from '../../domain/entities';
import { orNull, parseStringList, toJson, withoutNulls } from './row-mapping';

interface SessionRow {
  id_hash: string;
  sub: string;
  auth_time: number;
  amr: string;
  created_at: number;
  expires_at: number;
  ended_at: number | null;
}

/** Login sessions at the provider, by the hash of the session id in the browser's cookie. */
export class SqliteSessionRepository implements SessionRepository {
  private readonly insert;
  private readonly select;
  private readonly markEnded;

  constructor(db: Database) {
    this.insert =
      db.prepare(`INSERT INTO sessions (id_hash, sub, auth_time, amr, created_at, expires_at, ended_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.select = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id_hash = ?');
    this.markEnded = db.prepare('UPDATE sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL');
  }

  save(session: Session): void {
    this.insert.run(
      session.idHash,
      session.sub,
      session.authTime,
      toJson(session.amr),
      session.createdAt,
      session.expiresAt,
      orNull(session.endedAt),
    );
  }

  find(idHash: string): Session | undefined {
    const row = this.select.get(idHash);
    return row && toSession(row);
  }

  end(idHash: string, at: number): void {
    this.markEnded.run(at, idHash);
  }
}

function toSession(row: SessionRow): Session {
  return {
    idHash: row.id_hash,
    sub: row.sub,
    authTime: row.auth_time,
    amr: parseStringList(row.amr),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ...withoutNulls({ endedAt: row.ended_at }),
  };
}
