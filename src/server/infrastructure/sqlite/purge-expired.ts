import type { Database } from 'better-sqlite3';

export interface PurgeOptions {
  /**
   * How long expired tokens and sessions are kept after they expire (ms), so that introspection and
   * the inspector can still say "expired" rather than "unknown". Default one day.
   */
  readonly retentionMs?: number;
}

export interface PurgeCounts {
  readonly pushedRequests: number;
  readonly authorizationCodes: number;
  readonly interactions: number;
  readonly refreshTokens: number;
  readonly accessTokens: number;
  readonly sessions: number;
  readonly grants: number;
}

export const DEFAULT_RETENTION_MS = 86_400_000;

/**
 * Keeps storage bounded: deletes what can no longer be used. Codes, PAR requests and interactions go
 * as soon as they expire (they are short-lived and one-time) — but a pushed request only once no live
 * interaction still needs it, and codes only after the retention period (to detect replays); tokens and sessions once they have been
 * expired for the retention period; grants once nothing hangs from them any more and they are older
 * than the retention period. Returns `purgeExpired(now)`, one transaction per call.
 */
export function createPurge(db: Database, { retentionMs = DEFAULT_RETENTION_MS }: PurgeOptions = {}) {
  const statements = {
    // RFC 9126 §4: a request_uri is consumed when its authorization completes, which may be after it
    // expired for new authorization requests: keep it while an interaction that started from it lives.
    pushedRequests: db.prepare(`DELETE FROM pushed_requests WHERE expires_at <= @now
      AND NOT EXISTS (SELECT 1 FROM interactions i
        WHERE i.request_uri_hash = pushed_requests.request_uri_hash AND i.expires_at > @now)`),
    // RFC 6749 §4.1.2: a replayed code revokes what its first use issued, so a used code is
    // remembered for the retention period, not forgotten when it expires.
    authorizationCodes: db.prepare('DELETE FROM authorization_codes WHERE expires_at <= ?'),
    interactions: db.prepare('DELETE FROM interactions WHERE expires_at <= ?'),
    refreshTokens: db.prepare('DELETE FROM refresh_tokens WHERE expires_at <= ?'),
    accessTokens: db.prepare('DELETE FROM access_tokens WHERE expires_at <= ?'),
    sessions: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
    grants: db.prepare(`DELETE FROM grants WHERE created_at <= ?
      AND NOT EXISTS (SELECT 1 FROM authorization_codes c WHERE c.grant_id = grants.id)
      AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.grant_id = grants.id)
      AND NOT EXISTS (SELECT 1 FROM access_tokens a WHERE a.grant_id = grants.id)`),
  };

  const purge = db.transaction((now: number): PurgeCounts => {
    const longAgo = now - retentionMs;
    return {
      pushedRequests: statements.pushedRequests.run({ now }).changes,
      authorizationCodes: statements.authorizationCodes.run(longAgo).changes,
      interactions: statements.interactions.run(now).changes,
      refreshTokens: statements.refreshTokens.run(longAgo).changes,
      accessTokens: statements.accessTokens.run(longAgo).changes,
      sessions: statements.sessions.run(longAgo).changes,
      grants: statements.grants.run(longAgo).changes,
    };
  });

  return (now: number): PurgeCounts => purge.immediate(now);
}
