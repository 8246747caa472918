import type {
  AccessTokenRecord,
  AuthorizationCode,
  Grant,
  Interaction,
  PushedRequest,
  RefreshToken,
  Session,
} from '../../../../src/server/domain/entities';

export const T0 = 1_800_000_000_000;

export const grant = (over: Partial<Grant> = {}): Grant => ({
  id: 'grant-1',
  clientId: 'client-a',
  sub: 'alice',
  scope: 'openid profile',
  createdAt: T0,
  ...over,
});

export const code = (over: Partial<AuthorizationCode> = {}): AuthorizationCode => ({
  codeHash: 'code-hash-1',
  grantId: 'grant-1',
  clientId: 'client-a',
  sub: 'alice',
  redirectUri: 'https://rp.example/cb',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  codeChallengeMethod: 'S256',
  scope: 'openid profile',
  authTime: T0 / 1000,
  authTimeRequired: false,
  createdAt: T0,
  expiresAt: T0 + 60_000,
  ...over,
});

export const refreshToken = (over: Partial<RefreshToken> = {}): RefreshToken => ({
  tokenHash: 'rt-hash-1',
  grantId: 'grant-1',
  clientId: 'client-a',
  sub: 'alice',
  scope: 'openid offline_access',
  authTime: T0 / 1000,
  createdAt: T0,
  expiresAt: T0 + 86_400_000,
  ...over,
});

export const accessToken = (over: Partial<AccessTokenRecord> = {}): AccessTokenRecord => ({
  jti: 'at-1',
  grantId: 'grant-1',
  clientId: 'client-a',
  sub: 'alice',
  scope: 'openid',
  issuedAt: T0,
  expiresAt: T0 + 600_000,
  ...over,
});

export const pushedRequest = (over: Partial<PushedRequest> = {}): PushedRequest => ({
  requestUriHash: 'par-hash-1',
  clientId: 'client-a',
  params: { response_type: 'code', scope: 'openid', redirect_uri: 'https://rp.example/cb' },
  createdAt: T0,
  expiresAt: T0 + 60_000,
  ...over,
});

export const session = (over: Partial<Session> = {}): Session => ({
  idHash: 'session-hash-1',
  sub: 'alice',
  authTime: T0 / 1000,
  amr: ['pwd'],
  createdAt: T0,
  expiresAt: T0 + 3_600_000,
  ...over,
});

export const interaction = (over: Partial<Interaction> = {}): Interaction => ({
  id: 'interaction-1',
  clientId: 'client-a',
  params: { response_type: 'code', scope: 'openid' },
  createdAt: T0,
  expiresAt: T0 + 600_000,
  ...over,
});
