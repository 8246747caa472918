import type { Database } from 'better-sqlite3';
import type { PushedRequestRepository } from '../../application/ports';
import type { PushedRequest } from '../../domain/entities';
import { orNull, parseStringRecord, toJson, withoutNulls } from './row-mapping';

interface PushedRequestRow {
  request_uri_hash: string;
  client_id: string;
  params: string;
  dpop_jkt: string | null;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}

/** RFC 9126 §2: pushed authorization requests, looked up by the hash of their request_uri. */
export class SqlitePushedRequestRepository implements PushedRequestRepository {
  private readonly insert;
  private readonly select;
  private readonly markConsumed;

  constructor(db: Database) {
    this.insert = db.prepare(`INSERT INTO pushed_requests
      (request_uri_hash, client_id, params, dpop_jkt, created_at, expires_at, consumed_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.select = db.prepare<[string], PushedRequestRow>(
      'SELECT * FROM pushed_requests WHERE request_uri_hash = ?',
    );
    this.markConsumed = db.prepare(
      'UPDATE pushed_requests SET consumed_at = ? WHERE request_uri_hash = ? AND consumed_at IS NULL',
    );
  }

  save(request: PushedRequest): void {
    this.insert.run(
      request.requestUriHash,
      request.clientId,
      toJson(request.params),
      orNull(request.dpopJkt),
      request.createdAt,
      request.expiresAt,
      orNull(request.consumedAt),
    );
  }

  find(requestUriHash: string): PushedRequest | undefined {
    const row = this.select.get(requestUriHash);
    return row && toPushedRequest(row);
  }

  /** RFC 9126 §4: one-time use; the conditional UPDATE lets exactly one caller win. */
  consume(requestUriHash: string, at: number): boolean {
    return this.markConsumed.run(at, requestUriHash).changes === 1;
  }
}

function toPushedRequest(row: PushedRequestRow): PushedRequest {
  return {
    requestUriHash: row.request_uri_hash,
    clientId: row.client_id,
    params: parseStringRecord(row.params),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ...withoutNulls({ dpopJkt: row.dpop_jkt, consumedAt: row.consumed_at }),
  };
}
