import type { ServerSettings } from '../config/lab-config-schema';
import type { ClientDirectory } from '../domain/client';
import type { Clock } from '../domain/clock';
import type { UserDirectory } from '../domain/user';
import type { Logger } from '../server-options';
import type { DpopNonceSource } from '../infrastructure/dpop';
import type {
  AccessTokenRepository,
  AuthorizationCodeRepository,
  ConsentRepository,
  GrantRepository,
  InteractionRepository,
  KeyStore,
  PushedRequestRepository,
  RefreshTokenRepository,
  ReplayCache,
  SessionRepository,
} from './ports';

export interface Repositories {
  pushedRequests: PushedRequestRepository;
  authorizationCodes: AuthorizationCodeRepository;
  grants: GrantRepository;
  refreshTokens: RefreshTokenRepository;
  accessTokens: AccessTokenRepository;
  sessions: SessionRepository;
  consents: ConsentRepository;
  interactions: InteractionRepository;
}

/** Everything the use cases need; assembled once by the composition root (src/server/index.ts). */
export interface ProviderContext {
  /** The issuer identifier (RFC 8414 §2), no trailing slash. */
  readonly issuer: string;
  readonly endpoints: ProviderEndpoints;
  readonly settings: ServerSettings;
  readonly clock: Clock;
  readonly clients: ClientDirectory;
  readonly users: UserDirectory;
  readonly repositories: Repositories;
  readonly replayCache: ReplayCache;
  readonly keys: KeyStore;
  /** Present when server-provided DPoP nonces are required (RFC 9449 §8). */
  readonly dpopNonces?: DpopNonceSource;
  readonly logger: Logger;
}

export interface ProviderEndpoints {
  readonly authorization: string;
  readonly token: string;
  readonly pushedAuthorizationRequest: string;
  readonly userinfo: string;
  readonly introspection: string;
  readonly revocation: string;
  readonly endSession: string;
  readonly jwks: string;
  /** The demo resource server's identifier: the `aud` of access tokens (RFC 9068 §3). */
  readonly resourceServer: string;
}

export const endpointsFor = (issuer: string): ProviderEndpoints => ({
  authorization: `${issuer}/authorize`,
  token: `${issuer}/token`,
  pushedAuthorizationRequest: `${issuer}/par`,
  userinfo: `${issuer}/userinfo`,
  introspection: `${issuer}/introspect`,
  revocation: `${issuer}/revoke`,
  endSession: `${issuer}/end_session`,
  jwks: `${issuer}/jwks`,
  resourceServer: `${issuer}/api`,
});
