import type { Database } from 'better-sqlite3';
import type { AuthorizationCodeRepository } from '../../application/ports';
import type { AuthorizationCode } from '../../domain/entities';
import { orNull, parseStringList, toJson, type Writable } from './row-mapping';

/**
 * A code's row as `find` reads it: a raw row (an array in the order of COLUMNS), not an object.
 * better-sqlite3 builds an object per row name by name, and a code exchange reads this row and its
 * grant's: in a micro-benchmark of this table, 14 µs a lookup with objects, 9 µs with arrays.
 */
type AuthorizationCodeRow = [
  codeHash: string,
  grantId: string,
  clientId: string,
  sub: string,
  redirectUri: string,
  codeChallenge: string,
  codeChallengeMethod: 'S256',
  scope: string,
  nonce: string | null,
  authTime: number,
  amr: string | null,
  acr: string | null,
  authTimeRequired: number,
  dpopJkt: string | null,
  sessionId: string | null,
  createdAt: number,
  expiresAt: number,
  consumedAt: number | null,
];

const COLUMNS = `code_hash, grant_id, client_id, sub, redirect_uri, code_challenge, code_challenge_method, scope,
  nonce, auth_time, amr, acr, auth_time_required, dpop_jkt, session_id, created_at, expires_at, consumed_at`;

/** RFC 6749 §4.1.2: authorization codes, by the hash of the code. Its grant must be saved first. */
export class SqliteAuthorizationCodeRepository implements AuthorizationCodeRepository {
  private readonly insert;
  private readonly select;
  private readonly markConsumed;

  constructor(db: Database) {
    this.insert = db.prepare(`INSERT INTO authorization_codes (${COLUMNS})
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.select = db
      .prepare<[string], AuthorizationCodeRow>(
        `SELECT ${COLUMNS} FROM authorization_codes WHERE code_hash = ?`,
      )
      .raw(true);
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

function toAuthorizationCode([
  codeHash,
  grantId,
  clientId,
  sub,
  redirectUri,
  codeChallenge,
  codeChallengeMethod,
  scope,
  nonce,
  authTime,
  amr,
  acr,
  authTimeRequired,
  dpopJkt,
  sessionId,
  createdAt,
  expiresAt,
  consumedAt,
]: AuthorizationCodeRow): AuthorizationCode {
  const code: Writable<AuthorizationCode> = {
    codeHash,
    grantId,
    clientId,
    sub,
    redirectUri,
    codeChallenge,
    codeChallengeMethod,
    scope,
    authTime,
    authTimeRequired: authTimeRequired === 1,
    createdAt,
    expiresAt,
  };
  if (nonce !== null) code.nonce = nonce;
  if (amr !== null) code.amr = parseStringList(amr);
  if (acr !== null) code.acr = acr;
  if (dpopJkt !== null) code.dpopJkt = dpopJkt;
  if (sessionId !== null) code.sessionId = sessionId;
  if (consumedAt !== null) code.consumedAt = consumedAt;
  return code;
}
