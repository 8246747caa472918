import type { JSONWebKeySet, JWK } from 'jose';
import type {
  AccessTokenRecord,
  AuthorizationCode,
  Grant,
  Interaction,
  PushedRequest,
  RefreshToken,
  Session,
} from '../domain/entities';

/**
 * The ports the use cases need. Storage is synchronous (better-sqlite3 is, and a transaction is then
 * one call); every `consume`/`revoke` is atomic, so two concurrent uses of one code cannot both win.
 */

export interface PushedRequestRepository {
  save(request: PushedRequest): void;
  find(requestUriHash: string): PushedRequest | undefined;
  /** Marks it used; false when it was already consumed (RFC 9126 §4: one-time use). */
  consume(requestUriHash: string, at: number): boolean;
}

export interface AuthorizationCodeRepository {
  save(code: AuthorizationCode): void;
  find(codeHash: string): AuthorizationCode | undefined;
  /** Marks it used; false when it was already consumed (RFC 6749 §4.1.2: single use). */
  consume(codeHash: string, at: number): boolean;
}

export interface GrantRepository {
  save(grant: Grant): void;
  find(id: string): Grant | undefined;
  /** Revokes the grant and, in the same transaction, every refresh and access token issued under it. */
  revoke(id: string, at: number): void;
}

export interface RefreshTokenRepository {
  save(token: RefreshToken): void;
  find(tokenHash: string): RefreshToken | undefined;
  revoke(tokenHash: string, at: number): void;
  /** Marks it replaced by rotation; false when another refresh rotated it first (so only one wins). */
  markRotated(tokenHash: string, at: number): boolean;
}

export interface AccessTokenRepository {
  save(token: AccessTokenRecord): void;
  find(jti: string): AccessTokenRecord | undefined;
  revoke(jti: string, at: number): void;
}

export interface SessionRepository {
  save(session: Session): void;
  find(idHash: string): Session | undefined;
  end(idHash: string, at: number): void;
}

export interface ConsentRepository {
  /** The scope values `sub` has consented to for `clientId`. */
  find(sub: string, clientId: string): readonly string[];
  grant(sub: string, clientId: string, scopes: readonly string[], at: number): void;
  revoke(sub: string, clientId: string): void;
}

export interface InteractionRepository {
  save(interaction: Interaction): void;
  find(id: string): Interaction | undefined;
  delete(id: string): void;
}

/**
 * Remembers one-time identifiers (DPoP proof `jti`, client assertion `jti`) until they expire
 * (RFC 9449 §11.1, RFC 7523 §3 (7)). Bounded: it never evicts an entry that has not expired; when
 * full of live entries it refuses new ones (fail closed) instead of forgetting.
 */
export interface ReplayCache {
  /**
   * Records `jti`, charged to the client `clientId`: 'new', 'replayed' when already seen, or 'full'
   * when the cache holds only live entries, or only its last tenth is left and this client holds a
   * tenth of it already (a few clients cannot take it all from the others).
   */
  remember(namespace: string, jti: string, expiresAt: number, clientId: string): 'new' | 'replayed' | 'full';
}

export interface SigningKey {
  readonly kid: string;
  readonly alg: 'PS256' | 'ES256' | 'RS256' | 'EdDSA';
  readonly privateKey: CryptoKey;
}

/**
 * The provider's signing keys. Rotation publishes the next key before it signs, and keeps retired
 * keys published for a grace period so that tokens they signed still verify.
 */
export interface KeyStore {
  /** The key that signs with `alg` now (RS256 is signed with the current RSA key). */
  signingKey(alg: SigningKey['alg']): SigningKey;
  /**
   * The public keys to publish at jwks_uri (RFC 7517 §5). A set once given is never changed in place:
   * a change gives a new one (the JWKS endpoint serializes a set once).
   */
  publicJwks(): JSONWebKeySet;
  /** A published public key by `kid`, to verify the server's own tokens. */
  verificationKey(kid: string): CryptoKey | undefined;
  /** Generates new keys, publishes them, makes them current and retires the old ones after the grace. */
  rotate(): Promise<void>;
}

/** Private keys the lab generated for its configured clients (`lab.generate_keys`). */
export interface LabClientKeyStore {
  privateJwks(clientId: string): readonly JWK[];
  publicJwks(clientId: string): JSONWebKeySet | undefined;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
}
