import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { hashHandle } from '../server/domain/handles';
import { sha256Base64url } from '../server/domain/sha256';
import { newTimeOrderedId } from '../server/domain/time-ordered-id';
import type { BenchClient } from './bench-client';

/** What the generator sends to redeem one minted code (RFC 6749 §4.1.3, RFC 7636 §4.5). */
export interface MintedCode {
  readonly code: string;
  readonly code_verifier: string;
}

/**
 * Writes authorization codes straight into the server's database before a timed window, so the
 * code-exchange scenario measures the token endpoint alone, not the login and consent pages. This
 * is the test-only hook: the harness writes the rows through its own connection (SQLite WAL lets
 * two connections share the file); nothing in the server can be asked to do it. Rows follow
 * src/server/infrastructure/sqlite/provider-migrations.ts: a grant first, then the code, stored
 * by its hash (hashHandle, as the server stores it), each under a grant whose id is
 * time-ordered as src/server/application/authorize.ts makes it.
 */
export function mintAuthorizationCodes(
  dataDir: string,
  client: BenchClient,
  count: number,
  lifetimeSeconds: number,
): MintedCode[] {
  const db = new Database(join(dataDir, 'trusty-lab.db'));
  try {
    db.pragma('busy_timeout = 5000');
    const insertGrant = db.prepare(
      'INSERT INTO grants (id, client_id, sub, scope, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, NULL)',
    );
    const insertCode = db.prepare(`INSERT INTO authorization_codes
      (code_hash, grant_id, client_id, sub, redirect_uri, code_challenge, code_challenge_method, scope,
       nonce, auth_time, amr, acr, auth_time_required, dpop_jkt, session_id, created_at, expires_at, consumed_at)
      VALUES (?, ?, ?, ?, ?, ?, 'S256', ?, NULL, ?, '["pwd"]', NULL, 0, NULL, NULL, ?, ?, NULL)`);
    const now = Date.now();
    const scope = 'openid accounts';
    const minted: MintedCode[] = [];
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const code = randomBytes(32).toString('base64url');
        const code_verifier = randomBytes(32).toString('base64url');
        // One grant per code: should a code ever be replayed, only its own grant is revoked.
        const grantId = newTimeOrderedId(now);
        insertGrant.run(grantId, client.clientId, client.sub, scope, now);
        insertCode.run(
          hashHandle(code),
          grantId,
          client.clientId,
          client.sub,
          client.redirectUri,
          // RFC 7636 §4.2, S256: BASE64URL(SHA256(code_verifier)).
          sha256Base64url(code_verifier),
          scope,
          Math.floor(now / 1000),
          now,
          now + lifetimeSeconds * 1000,
        );
        minted.push({ code, code_verifier });
      }
    })();
    return minted;
  } finally {
    db.close();
  }
}
