import type { Database } from 'better-sqlite3';
import type { InteractionRepository } from '../../application/ports';
import type { Interaction } from '../../domain/entities';
import { orNull, parseStringRecord, toJson, withoutNulls } from './row-mapping';

interface InteractionRow {
  id: string;
  client_id: string;
  params: string;
  request_uri_hash: string | null;
  dpop_jkt: string | null;
  sub: string | null;
  auth_time: number | null;
  created_at: number;
  expires_at: number;
}

/**
 * Authorization requests in progress. `save` replaces: an interaction is saved again once the user
 * has logged in (`sub`, `authTime`).
 */
export class SqliteInteractionRepository implements InteractionRepository {
  private readonly upsert;
  private readonly select;
  private readonly remove;

  constructor(db: Database) {
    this.upsert = db.prepare(`INSERT OR REPLACE INTO interactions
      (id, client_id, params, request_uri_hash, dpop_jkt, sub, auth_time, created_at, expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.select = db.prepare<[string], InteractionRow>('SELECT * FROM interactions WHERE id = ?');
    this.remove = db.prepare('DELETE FROM interactions WHERE id = ?');
  }

  save(interaction: Interaction): void {
    this.upsert.run(
      interaction.id,
      interaction.clientId,
      toJson(interaction.params),
      orNull(interaction.requestUriHash),
      orNull(interaction.dpopJkt),
      orNull(interaction.sub),
      orNull(interaction.authTime),
      interaction.createdAt,
      interaction.expiresAt,
    );
  }

  find(id: string): Interaction | undefined {
    const row = this.select.get(id);
    return row && toInteraction(row);
  }

  delete(id: string): void {
    this.remove.run(id);
  }
}

function toInteraction(row: InteractionRow): Interaction {
  return {
    id: row.id,
    clientId: row.client_id,
    params: parseStringRecord(row.params),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ...withoutNulls({
      requestUriHash: row.request_uri_hash,
      dpopJkt: row.dpop_jkt,
      sub: row.sub,
      authTime: row.auth_time,
    }),
  };
}
