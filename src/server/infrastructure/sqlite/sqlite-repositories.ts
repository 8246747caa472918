import type { Database } from 'better-sqlite3';
import type {
  AccessTokenRepository,
  AuthorizationCodeRepository,
  ConsentRepository,
  GrantRepository,
  InteractionRepository,
  PushedRequestRepository,
  RefreshTokenRepository,
  SessionRepository,
} from '../../application/ports';
import { createSqliteAccessTokens } from './access-token-repository';
import { SqliteAuthorizationCodeRepository } from './authorization-code-repository';
import { SqliteConsentRepository } from './consent-repository';
import { SqliteGrantRepository } from './grant-repository';
import { SqliteInteractionRepository } from './interaction-repository';
import { migrate } from './migrate';
import { PROVIDER_NAMESPACE, providerMigrations } from './provider-migrations';
import { createPurge, type PurgeCounts, type PurgeOptions } from './purge-expired';
import { SqlitePushedRequestRepository } from './pushed-request-repository';
import { SqliteRefreshTokenRepository } from './refresh-token-repository';
import { SqliteSessionRepository } from './session-repository';

export interface SqliteRepositories {
  readonly pushedRequests: PushedRequestRepository;
  readonly authorizationCodes: AuthorizationCodeRepository;
  readonly grants: GrantRepository;
  readonly refreshTokens: RefreshTokenRepository;
  readonly accessTokens: AccessTokenRepository;
  readonly sessions: SessionRepository;
  readonly consents: ConsentRepository;
  readonly interactions: InteractionRepository;
  /** Deletes expired codes, PAR requests, interactions and long-expired tokens (see purge-expired.ts). */
  purgeExpired(now: number): PurgeCounts;
  /** Writes what a repository holds back (access-token records, written in groups): before closing. */
  flush(): void;
}

export interface RepositoryOptions extends PurgeOptions {
  /** Told when held-back access-token records could not be written (see access-token-repository.ts). */
  onWriteError?: (error: unknown) => void;
}

/**
 * Brings the provider's schema up to date (namespace 'provider') and returns one repository per
 * storage port, their statements prepared once.
 */
export function createSqliteRepositories(db: Database, options: RepositoryOptions = {}): SqliteRepositories {
  migrate(db, PROVIDER_NAMESPACE, providerMigrations);
  const accessTokens = createSqliteAccessTokens(db, options.onWriteError);
  const purge = createPurge(db, options);
  return {
    pushedRequests: new SqlitePushedRequestRepository(db),
    authorizationCodes: new SqliteAuthorizationCodeRepository(db),
    // A grant's revocation reaches its access tokens with SQL: the held-back ones are written first.
    grants: new SqliteGrantRepository(db, accessTokens.flush),
    refreshTokens: new SqliteRefreshTokenRepository(db),
    accessTokens,
    sessions: new SqliteSessionRepository(db),
    consents: new SqliteConsentRepository(db),
    interactions: new SqliteInteractionRepository(db),
    purgeExpired(now) {
      accessTokens.flush();
      return purge(now);
    },
    flush: accessTokens.flush,
  };
}
