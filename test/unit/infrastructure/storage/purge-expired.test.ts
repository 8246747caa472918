import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/server/infrastructure/sqlite/open-database';
import {
  createSqliteRepositories,
  type SqliteRepositories,
} from '../../../../src/server/infrastructure/sqlite/sqlite-repositories';
import { T0, accessToken, code, grant, interaction, pushedRequest, refreshToken, session } from './fixtures';

const DAY = 86_400_000;
let repos: SqliteRepositories;

beforeEach(() => {
  repos = createSqliteRepositories(openDatabase({ dataDir: null }), { retentionMs: DAY });
});

describe('purgeExpired', () => {
  it('deletes expired PAR requests and interactions, and keeps live ones', () => {
    repos.pushedRequests.save(pushedRequest({ requestUriHash: 'old', expiresAt: T0 + 10 }));
    repos.pushedRequests.save(pushedRequest({ requestUriHash: 'live', expiresAt: T0 + 1000 }));
    repos.interactions.save(interaction({ id: 'old', expiresAt: T0 + 10 }));
    repos.interactions.save(interaction({ id: 'live', expiresAt: T0 + 1000 }));

    const counts = repos.purgeExpired(T0 + 500);

    expect(counts).toMatchObject({ pushedRequests: 1, interactions: 1 });
    expect(repos.pushedRequests.find('old')).toBeUndefined();
    expect(repos.pushedRequests.find('live')).toBeDefined();
    expect(repos.interactions.find('old')).toBeUndefined();
    expect(repos.interactions.find('live')).toBeDefined();
  });

  it('keeps an expired PAR request while an interaction started from it is still open (RFC 9126 §4)', () => {
    repos.pushedRequests.save(pushedRequest({ requestUriHash: 'in-use', expiresAt: T0 + 10 }));
    repos.interactions.save(interaction({ id: 'login', requestUriHash: 'in-use', expiresAt: T0 + 1000 }));

    repos.purgeExpired(T0 + 500);
    expect(repos.pushedRequests.consume('in-use', T0 + 500)).toBe(true);

    repos.purgeExpired(T0 + 1000);
    expect(repos.pushedRequests.find('in-use')).toBeUndefined();
  });

  it('remembers expired codes for the retention period, so that a replay is still recognised', () => {
    repos.grants.save(grant());
    repos.authorizationCodes.save(code({ codeHash: 'used', expiresAt: T0 + 10 }));
    repos.purgeExpired(T0 + 10 + DAY - 1);
    expect(repos.authorizationCodes.find('used')).toBeDefined();
    const counts = repos.purgeExpired(T0 + 10 + DAY);
    expect(counts).toMatchObject({ authorizationCodes: 1 });
    expect(repos.authorizationCodes.find('used')).toBeUndefined();
  });

  it('keeps expired tokens and sessions for the retention period, then deletes them', () => {
    repos.grants.save(grant());
    repos.refreshTokens.save(refreshToken({ expiresAt: T0 + 10 }));
    repos.accessTokens.save(accessToken({ expiresAt: T0 + 10 }));
    repos.sessions.save(session({ expiresAt: T0 + 10 }));

    repos.purgeExpired(T0 + 10 + DAY - 1);
    expect(repos.refreshTokens.find('rt-hash-1')).toBeDefined();
    expect(repos.accessTokens.find('at-1')).toBeDefined();
    expect(repos.sessions.find('session-hash-1')).toBeDefined();
    expect(repos.grants.find('grant-1')).toBeDefined();

    const counts = repos.purgeExpired(T0 + 10 + DAY);
    expect(counts).toMatchObject({ refreshTokens: 1, accessTokens: 1, sessions: 1, grants: 1 });
    expect(repos.refreshTokens.find('rt-hash-1')).toBeUndefined();
    expect(repos.accessTokens.find('at-1')).toBeUndefined();
    expect(repos.sessions.find('session-hash-1')).toBeUndefined();
    // Nothing hangs from the grant any more, and it is older than the retention period.
    expect(repos.grants.find('grant-1')).toBeUndefined();
  });

  it('keeps an old grant that still has a live token', () => {
    repos.grants.save(grant());
    repos.refreshTokens.save(refreshToken({ expiresAt: T0 + 10 * DAY }));
    repos.purgeExpired(T0 + 5 * DAY);
    expect(repos.grants.find('grant-1')).toBeDefined();
    expect(repos.refreshTokens.find('rt-hash-1')).toBeDefined();
  });

  it('keeps a young grant with nothing under it yet', () => {
    repos.grants.save(grant({ createdAt: T0 }));
    repos.purgeExpired(T0 + 1000);
    expect(repos.grants.find('grant-1')).toBeDefined();
  });
});
