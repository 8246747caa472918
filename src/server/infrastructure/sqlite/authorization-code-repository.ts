import type { Database } from 'better-sqlite3';
import type { AuthorizationCodeRepository } from '../../application/ports';
import type { AuthorizationCode } from '../../domain/entities';
import { optionalList, orNull, toJson, withoutNulls } from './row-mapping';

interface AuthorizationCodeRow {
  code_hash: string;
  grant_id: string;
  client_id: string;
  sub: string;
  redirect_uri: string;
  code_challenge: string;
  code_challenge_method: 'S256';
  scope: string;
  nonce: string | null;
  auth_time: number;
  amr: string | null;
  acr: string | null;
  auth_time_required: number;
  dpop_jkt: string | null;
  session_id: string | null;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}

/** RFC 6749 §4.1.2: authorization codes, by the hash of the code. Its grant must be saved first. */
export class SqliteAuthorizationCodeRepository implements AuthorizationCodeRepository {
  private readonly insert;
  private readonly select;
  private readonly markConsumed;

  constructor(db: Database) {
    this.insert = db.prepare(`INSERT INTO authorization_codes
      (code_hash, grant_id, client_id, sub, redirect_uri, code_challenge, code_challenge_method, scope,
       nonce, auth_time, amr, acr, auth_time_required, dpop_jkt, session_id, created_at, expires_at, consumed_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.select = db.prepare<[string], AuthorizationCodeRow>(
      'SELECT * FROM authorization_codes WHERE code_hash = ?',
    );
    this.markConsumed = db.prepare(
      'UPDATE authorization_codes SET consumed_at = ? WHERE code_hash = ? AND consumed_at IS NULL',
    );
  }

  save(code: AuthorizationCode): void {
    this.insert.run(
      code.codeHash,
      code.grantId,
      code.clientId,
      code.sub,
      code.redirectUri,
      code.codeChallenge,
      code.codeChallengeMethod,
      code.scope,
      orNull(code.nonce),
      code.authTime,
      code.amr === undefined ? null : toJson(code.amr),
      orNull(code.acr),
      code.authTimeRequired ? 1 : 0,
      orNull(code.dpopJkt),
      orNull(code.sessionId),
      code.createdAt,
      code.expiresAt,
      orNull(code.consumedAt),
    );
  }

  find(codeHash: string): AuthorizationCode | undefined {
    const row = this.select.get(codeHash);
    return row && toAuthorizationCode(row);
  }

  /** RFC 6749 §4.1.2: single use; the conditional UPDATE lets exactly one exchange win. */
  consume(codeHash: string, at: number): boolean {
    return this.markConsumed.run(at, codeHash).changes === 1;
  }
}

function toAuthorizationCode(row: AuthorizationCodeRow): AuthorizationCode {
  return {
    codeHash: row.code_hash,
    grantId: row.grant_id,
    clientId: row.client_id,
    sub: row.sub,
    redirectUri: row.redirect_uri,
    codeChallenge: row.code_challenge,
    codeChallengeMethod: row.code_challenge_method,
    scope: row.scope,
    authTime: row.auth_time,
    authTimeRequired: row.auth_time_required === 1,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ...withoutNulls({
      nonce: row.nonce,
      amr: optionalList(row.amr),
      acr: row.acr,
      dpopJkt: row.dpop_jkt,
      sessionId: row.session_id,
      consumedAt: row.consumed_at,
    }),
  };
}
