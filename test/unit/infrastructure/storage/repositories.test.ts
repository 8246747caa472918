import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../../src/server/infrastructure/sqlite/open-database';
import {
  createSqliteRepositories,
  type SqliteRepositories,
} from '../../../../src/server/infrastructure/sqlite/sqlite-repositories';
import { T0, accessToken, code, grant, interaction, pushedRequest, refreshToken, session } from './fixtures';

let db: Database;
let repos: SqliteRepositories;

beforeEach(() => {
  db = openDatabase({ dataDir: null });
  repos = createSqliteRepositories(db);
});

describe('pushed requests', () => {
  it('round-trips with optional fields absent', () => {
    const request = pushedRequest();
    repos.pushedRequests.save(request);
    const found = repos.pushedRequests.find(request.requestUriHash);
    expect(found).toStrictEqual(request);
    expect(found && 'dpopJkt' in found).toBe(false);
    expect(found && 'consumedAt' in found).toBe(false);
  });

  it('round-trips with every optional field present', () => {
    const request = pushedRequest({ dpopJkt: 'jkt-1', consumedAt: T0 + 5 });
    repos.pushedRequests.save(request);
    expect(repos.pushedRequests.find(request.requestUriHash)).toStrictEqual(request);
  });

  it('is unknown when never saved', () => {
    expect(repos.pushedRequests.find('nope')).toBeUndefined();
  });

  it('is consumed once only (RFC 9126 §4)', () => {
    repos.pushedRequests.save(pushedRequest());
    expect(repos.pushedRequests.consume('par-hash-1', T0 + 1)).toBe(true);
    expect(repos.pushedRequests.consume('par-hash-1', T0 + 2)).toBe(false);
    expect(repos.pushedRequests.find('par-hash-1')?.consumedAt).toBe(T0 + 1);
  });

  it('cannot consume an unknown request_uri', () => {
    expect(repos.pushedRequests.consume('nope', T0)).toBe(false);
  });
});

describe('authorization codes', () => {
  beforeEach(() => repos.grants.save(grant()));

  it('round-trips with optional fields absent', () => {
    const c = code();
    repos.authorizationCodes.save(c);
    const found = repos.authorizationCodes.find(c.codeHash);
    expect(found).toStrictEqual(c);
    for (const key of ['nonce', 'amr', 'acr', 'dpopJkt', 'sessionId', 'consumedAt']) {
      expect(found && key in found, key).toBe(false);
    }
  });

  it('round-trips with every optional field present', () => {
    const c = code({
      nonce: 'n-0S6_WzA2Mj',
      amr: ['pwd', 'otp'],
      acr: 'urn:lab:loa:2',
      authTimeRequired: true,
      dpopJkt: 'jkt-1',
      sessionId: 'session-hash-1',
      consumedAt: T0 + 10,
    });
    repos.authorizationCodes.save(c);
    expect(repos.authorizationCodes.find(c.codeHash)).toStrictEqual(c);
  });

  it('is consumed once only (RFC 6749 §4.1.2)', () => {
    repos.authorizationCodes.save(code());
    expect(repos.authorizationCodes.consume('code-hash-1', T0 + 1)).toBe(true);
    expect(repos.authorizationCodes.consume('code-hash-1', T0 + 2)).toBe(false);
    expect(repos.authorizationCodes.find('code-hash-1')?.consumedAt).toBe(T0 + 1);
  });

  it('refuses a code whose grant does not exist', () => {
    expect(() => repos.authorizationCodes.save(code({ grantId: 'missing' }))).toThrow(/FOREIGN KEY/);
  });
});

describe('grants', () => {
  it('round-trips, with and without sub', () => {
    repos.grants.save(grant());
    repos.grants.save(grant({ id: 'grant-cc', sub: undefined, revokedAt: T0 + 3 }));
    expect(repos.grants.find('grant-1')).toStrictEqual(grant());
    const cc = repos.grants.find('grant-cc');
    expect(cc).toStrictEqual({
      id: 'grant-cc',
      clientId: 'client-a',
      scope: 'openid profile',
      createdAt: T0,
      revokedAt: T0 + 3,
    });
    expect(cc && 'sub' in cc).toBe(false);
  });

  it('revoke cascades to the refresh and access tokens of the grant, and only those', () => {
    repos.grants.save(grant());
    repos.grants.save(grant({ id: 'grant-2' }));
    repos.refreshTokens.save(refreshToken());
    repos.accessTokens.save(accessToken());
    repos.accessTokens.save(accessToken({ jti: 'at-2' }));
    repos.refreshTokens.save(refreshToken({ tokenHash: 'rt-other', grantId: 'grant-2' }));
    repos.accessTokens.save(accessToken({ jti: 'at-other', grantId: 'grant-2' }));
    repos.accessTokens.save(accessToken({ jti: 'at-no-grant', grantId: undefined }));

    repos.grants.revoke('grant-1', T0 + 100);

    expect(repos.grants.find('grant-1')?.revokedAt).toBe(T0 + 100);
    expect(repos.refreshTokens.find('rt-hash-1')?.revokedAt).toBe(T0 + 100);
    expect(repos.accessTokens.find('at-1')?.revokedAt).toBe(T0 + 100);
    expect(repos.accessTokens.find('at-2')?.revokedAt).toBe(T0 + 100);
    expect(repos.grants.find('grant-2')?.revokedAt).toBeUndefined();
    expect(repos.refreshTokens.find('rt-other')?.revokedAt).toBeUndefined();
    expect(repos.accessTokens.find('at-other')?.revokedAt).toBeUndefined();
    expect(repos.accessTokens.find('at-no-grant')?.revokedAt).toBeUndefined();
  });

  it('keeps the first revocation time of tokens revoked earlier', () => {
    repos.grants.save(grant());
    repos.refreshTokens.save(refreshToken());
    repos.refreshTokens.revoke('rt-hash-1', T0 + 1);
    repos.grants.revoke('grant-1', T0 + 100);
    expect(repos.refreshTokens.find('rt-hash-1')?.revokedAt).toBe(T0 + 1);
  });
});

describe('refresh tokens', () => {
  beforeEach(() => repos.grants.save(grant()));

  it('round-trips with optional fields absent', () => {
    repos.refreshTokens.save(refreshToken());
    const found = repos.refreshTokens.find('rt-hash-1');
    expect(found).toStrictEqual(refreshToken());
    for (const key of ['jkt', 'amr', 'acr', 'revokedAt', 'rotatedAt'])
      expect(found && key in found, key).toBe(false);
  });

  it('round-trips with every optional field present', () => {
    const t = refreshToken({ jkt: 'jkt-1', amr: ['pwd'], acr: '1', revokedAt: T0 + 1, rotatedAt: T0 + 2 });
    repos.refreshTokens.save(t);
    expect(repos.refreshTokens.find(t.tokenHash)).toStrictEqual(t);
  });

  it('revokes and marks rotated, keeping the first times', () => {
    repos.refreshTokens.save(refreshToken());
    repos.refreshTokens.markRotated('rt-hash-1', T0 + 5);
    repos.refreshTokens.markRotated('rt-hash-1', T0 + 9);
    expect(repos.refreshTokens.find('rt-hash-1')?.rotatedAt).toBe(T0 + 5);
    expect(repos.refreshTokens.find('rt-hash-1')?.revokedAt).toBeUndefined();
    repos.refreshTokens.revoke('rt-hash-1', T0 + 6);
    repos.refreshTokens.revoke('rt-hash-1', T0 + 7);
    expect(repos.refreshTokens.find('rt-hash-1')?.revokedAt).toBe(T0 + 6);
  });
});

describe('access token records', () => {
  it('round-trips with optional fields absent (client_credentials, no grant)', () => {
    const t = accessToken({ grantId: undefined, sub: undefined });
    const stored = {
      jti: 'at-1',
      clientId: 'client-a',
      scope: 'openid',
      issuedAt: T0,
      expiresAt: T0 + 600_000,
    };
    repos.accessTokens.save(t);
    expect(repos.accessTokens.find('at-1')).toStrictEqual(stored);
    repos.flush();
    expect(repos.accessTokens.find('at-1')).toStrictEqual(stored);
  });

  it('round-trips with every optional field present and revokes', () => {
    repos.grants.save(grant());
    const t = accessToken({ jkt: 'jkt-1' });
    repos.accessTokens.save(t);
    expect(repos.accessTokens.find('at-1')).toStrictEqual(t);
    repos.flush();
    expect(repos.accessTokens.find('at-1')).toStrictEqual(t);
    repos.accessTokens.revoke('at-1', T0 + 1);
    expect(repos.accessTokens.find('at-1')?.revokedAt).toBe(T0 + 1);
    repos.accessTokens.revoke('at-1', T0 + 2);
    expect(repos.accessTokens.find('at-1')?.revokedAt).toBe(T0 + 1);
  });

  describe('group commit: records are written together, right after the turn that saved them', () => {
    const rows = () =>
      db.prepare('SELECT jti, revoked_at FROM access_tokens ORDER BY jti').all() as { jti: string }[];
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

    it('finds a record before it is written, and writes it on the next turn', async () => {
      repos.accessTokens.save(accessToken({ jti: 'at-1', grantId: undefined }));
      repos.accessTokens.save(accessToken({ jti: 'at-2', grantId: undefined }));
      expect(rows()).toEqual([]);
      expect(repos.accessTokens.find('at-2')?.jti).toBe('at-2');
      await nextTurn();
      expect(rows().map((r) => r.jti)).toEqual(['at-1', 'at-2']);
      expect(repos.accessTokens.find('at-2')?.jti).toBe('at-2');
    });

    it('revokes a record not written yet, and writes it revoked', async () => {
      repos.accessTokens.save(accessToken({ jti: 'at-1', grantId: undefined }));
      repos.accessTokens.revoke('at-1', T0 + 7);
      expect(repos.accessTokens.find('at-1')?.revokedAt).toBe(T0 + 7);
      await nextTurn();
      expect(rows()).toEqual([{ jti: 'at-1', revoked_at: T0 + 7 }]);
    });

    it('refuses a jti twice, written or not', () => {
      repos.accessTokens.save(accessToken({ jti: 'at-1', grantId: undefined }));
      expect(() => repos.accessTokens.save(accessToken({ jti: 'at-1', grantId: undefined }))).toThrow();
    });

    it('writes the held records before the purge and on flush (the server flushes before closing)', () => {
      repos.accessTokens.save(accessToken({ jti: 'at-1', grantId: undefined }));
      repos.purgeExpired(T0);
      expect(rows().map((r) => r.jti)).toEqual(['at-1']);
      repos.accessTokens.save(accessToken({ jti: 'at-2', grantId: undefined }));
      repos.flush();
      expect(rows().map((r) => r.jti)).toEqual(['at-1', 'at-2']);
    });

    it('tells of a write that failed after the turn that saved the record', async () => {
      const errors: unknown[] = [];
      const told = createSqliteRepositories(db, { onWriteError: (e) => errors.push(e) });
      told.accessTokens.save(accessToken({ jti: 'at-1', grantId: undefined }));
      told.flush();
      told.accessTokens.save(accessToken({ jti: 'at-1', grantId: undefined }));
      await nextTurn();
      expect(errors).toHaveLength(1);
      expect(String(errors[0])).toMatch(/UNIQUE|constraint/i);
    });

    it('drops only the record that cannot be written, and says so', () => {
      repos.accessTokens.save(accessToken({ jti: 'at-1', grantId: undefined }));
      repos.flush();
      // The same jti again, once the first is written: only the table can refuse it.
      repos.accessTokens.save(accessToken({ jti: 'at-1', grantId: undefined, scope: 'other' }));
      repos.accessTokens.save(accessToken({ jti: 'at-2', grantId: undefined }));
      expect(() => repos.flush()).toThrow(/UNIQUE|constraint/i);
      expect(rows().map((r) => r.jti)).toEqual(['at-1', 'at-2']);
      expect(repos.accessTokens.find('at-1')?.scope).toBe('openid');
    });
  });
});

describe('sessions', () => {
  it('round-trips and ends once', () => {
    repos.sessions.save(session());
    const found = repos.sessions.find('session-hash-1');
    expect(found).toStrictEqual(session());
    expect(found && 'endedAt' in found).toBe(false);
    repos.sessions.end('session-hash-1', T0 + 1);
    repos.sessions.end('session-hash-1', T0 + 2);
    expect(repos.sessions.find('session-hash-1')).toStrictEqual(session({ endedAt: T0 + 1 }));
  });
});

describe('consents', () => {
  it('accumulates scopes per user and client, and revokes them', () => {
    expect(repos.consents.find('alice', 'client-a')).toEqual([]);
    repos.consents.grant('alice', 'client-a', ['openid', 'profile'], T0);
    repos.consents.grant('alice', 'client-a', ['email', 'openid'], T0 + 1);
    repos.consents.grant('alice', 'client-b', ['openid'], T0);
    repos.consents.grant('bob', 'client-a', ['address'], T0);
    expect([...repos.consents.find('alice', 'client-a')].sort()).toEqual(['email', 'openid', 'profile']);
    repos.consents.revoke('alice', 'client-a');
    expect(repos.consents.find('alice', 'client-a')).toEqual([]);
    expect(repos.consents.find('alice', 'client-b')).toEqual(['openid']);
    expect(repos.consents.find('bob', 'client-a')).toEqual(['address']);
  });
});

describe('interactions', () => {
  it('round-trips, is saved again after login, and is deleted', () => {
    const i = interaction();
    repos.interactions.save(i);
    const found = repos.interactions.find(i.id);
    expect(found).toStrictEqual(i);
    for (const key of ['requestUriHash', 'dpopJkt', 'sub', 'authTime'])
      expect(found && key in found, key).toBe(false);

    const loggedIn = interaction({
      requestUriHash: 'par-hash-1',
      dpopJkt: 'jkt',
      sub: 'alice',
      authTime: T0 / 1000,
    });
    repos.interactions.save(loggedIn);
    expect(repos.interactions.find(i.id)).toStrictEqual(loggedIn);

    repos.interactions.delete(i.id);
    expect(repos.interactions.find(i.id)).toBeUndefined();
  });
});
