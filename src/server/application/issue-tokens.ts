import type { KeyObject } from 'node:crypto';
import { keyObjectOf, signCompactJwsSync } from '../infrastructure/jws';
import { witnessSignature } from '../domain/check';
import type { Client } from '../domain/client';
import { epochSeconds } from '../domain/clock';
import type { Grant, RefreshToken } from '../domain/entities';
import { hashHandle, newHandle } from '../domain/handles';
import { parseScope } from '../domain/scope';
import { signatureKeyNames } from '../domain/signature-key-names';
import { newTimeOrderedId } from '../domain/time-ordered-id';
import type { ProviderContext } from './provider-context';
import type { SigningKey } from './ports';

/** Access tokens are signed with ES256: as strong as PS256 for FAPI 2.0 SP §5.4.1, and much cheaper. */
const ACCESS_TOKEN_ALG = 'ES256';

export interface AccessTokenSubject {
  readonly grantId?: string;
  readonly client: Client;
  /** The end-user; absent for client_credentials (RFC 9068 §2.2: `sub` is then the client). */
  readonly sub?: string;
  readonly scope: string;
  /** RFC 9449 §6.1: the DPoP key the token is bound to. */
  readonly jkt?: string;
  readonly authTime?: number;
  readonly acr?: string;
  readonly amr?: readonly string[];
}

export interface IssuedAccessToken {
  readonly access_token: string;
  readonly token_type: 'DPoP' | 'Bearer';
  readonly expires_in: number;
}

/** The KeyObject of a signing key's CryptoKey (the same key), checked as jose checked it before signing. */
const signingKeyObject = (key: SigningKey): KeyObject => keyObjectOf(key.privateKey, key.alg, 'sign');

/**
 * A JWT of type `typ` signed with the provider's `key`, synchronously (node:crypto): the same JWT
 * jose's SignJWT built. Its signature is witnessed for the lab's inspector (witnessSignature).
 */
function signWithServerKey(key: SigningKey, typ: string, payload: Record<string, unknown>): string {
  const jwt = signCompactJwsSync(
    { alg: key.alg, kid: key.kid, typ },
    payload,
    signingKeyObject(key),
    key.alg,
  );
  witnessSignature(jwt, () => signatureKeyNames.server(key.kid));
  return jwt;
}

/** A JWT access token (RFC 9068 §2), recorded by `jti` so that it can be revoked and introspected. */
export function issueAccessToken(ctx: ProviderContext, subject: AccessTokenSubject): IssuedAccessToken {
  const key = ctx.keys.signingKey(ACCESS_TOKEN_ALG);
  const now = ctx.clock.now();
  const iat = Math.floor(now / 1000);
  const lifetime = ctx.settings.access_token_lifetime;
  // RFC 9068 §2.2, RFC 7519 §4.1.7: unique; time-ordered, so that its row is appended to the jti index.
  const jti = newTimeOrderedId(now);
  const payload: Record<string, unknown> = {
    client_id: subject.client.client_id,
    scope: subject.scope,
  };
  if (subject.authTime !== undefined) payload.auth_time = subject.authTime;
  if (subject.acr !== undefined) payload.acr = subject.acr;
  if (subject.amr !== undefined) payload.amr = subject.amr;
  // RFC 9449 §6.1: confirmation of the DPoP key by its RFC 7638 thumbprint.
  if (subject.jkt !== undefined) payload.cnf = { jkt: subject.jkt };
  payload.iss = ctx.issuer;
  payload.sub = subject.sub ?? subject.client.client_id;
  payload.aud = ctx.endpoints.resourceServer;
  payload.iat = iat;
  payload.exp = iat + lifetime;
  payload.jti = jti;
  // RFC 9068 §2.1: typ "at+jwt".
  const access_token = signWithServerKey(key, 'at+jwt', payload);
  ctx.repositories.accessTokens.save({
    jti,
    grantId: subject.grantId,
    clientId: subject.client.client_id,
    sub: subject.sub,
    scope: subject.scope,
    jkt: subject.jkt,
    issuedAt: now,
    expiresAt: now + lifetime * 1000,
  });
  return { access_token, token_type: subject.jkt ? 'DPoP' : 'Bearer', expires_in: lifetime };
}

export interface IdTokenSubject {
  readonly client: Client;
  readonly sub: string;
  readonly nonce?: string;
  readonly authTime: number;
  readonly acr?: string;
  readonly amr?: readonly string[];
}

/** The client's registered ID token algorithm (OIDC Registration §2: RS256 by default; PS256 under fapi2). */
export const idTokenAlgorithm = (client: Client): SigningKey['alg'] =>
  client.metadata.id_token_signed_response_alg ?? (client.profile === 'fapi2' ? 'PS256' : 'RS256');

/** OpenID Connect Core §2: the ID token, signed with the client's algorithm, with a `kid` (FAPI 2.0 SP §5.4.1). */
export function issueIdToken(ctx: ProviderContext, subject: IdTokenSubject): string {
  const key = ctx.keys.signingKey(idTokenAlgorithm(subject.client));
  const iat = epochSeconds(ctx.clock);
  const payload: Record<string, unknown> = {
    // OpenID Connect Core §5.4: with response_type=code an access token is issued, so the claims of
    // the profile/email/… scopes are served by userinfo, not put in the ID token.
    auth_time: subject.authTime,
    azp: subject.client.client_id,
  };
  if (subject.nonce !== undefined) payload.nonce = subject.nonce;
  if (subject.acr !== undefined) payload.acr = subject.acr;
  if (subject.amr !== undefined) payload.amr = subject.amr;
  payload.iss = ctx.issuer;
  payload.sub = subject.sub;
  payload.aud = subject.client.client_id;
  payload.iat = iat;
  payload.exp = iat + ctx.settings.id_token_lifetime;
  return signWithServerKey(key, 'JWT', payload);
}

/** How the user authenticated: carried from the code to every token of the grant (OIDC Core §2). */
export type Authentication = Pick<RefreshToken, 'authTime' | 'amr' | 'acr'>;

export interface UserTokensSubject extends Authentication {
  readonly grantId: string;
  readonly client: Client;
  readonly sub: string;
  /** The scope of these tokens (space-separated); with `openid`, an ID token is issued too. */
  readonly scope: string;
  readonly jkt?: string;
  /** The nonce of the authorization request; none after a refresh (OIDC Core §12.2). */
  readonly nonce?: string;
}

/**
 * The access token of a user's grant and, when the scope holds `openid`, its ID token (OpenID
 * Connect Core §3.1.3.3 for the code, §12.2 for a refresh).
 */
export function issueUserTokens(
  ctx: ProviderContext,
  subject: UserTokensSubject,
): IssuedAccessToken & { readonly id_token?: string } {
  const { client, sub, authTime, amr, acr } = subject;
  const access = issueAccessToken(ctx, {
    grantId: subject.grantId,
    client,
    sub,
    scope: subject.scope,
    jkt: subject.jkt,
    authTime,
    amr,
    acr,
  });
  if (!parseScope(subject.scope).includes('openid')) return access;
  const id_token = issueIdToken(ctx, { client, sub, nonce: subject.nonce, authTime, amr, acr });
  return { ...access, id_token };
}

/** An opaque refresh token (stored hashed), bound to its grant, client and — when given — DPoP key. */
export function issueRefreshToken(
  ctx: ProviderContext,
  grant: Grant,
  fields: Pick<RefreshToken, 'sub' | 'scope' | 'jkt'> & Authentication,
): string {
  const token = newHandle();
  const now = ctx.clock.now();
  ctx.repositories.refreshTokens.save({
    tokenHash: hashHandle(token),
    grantId: grant.id,
    clientId: grant.clientId,
    createdAt: now,
    expiresAt: now + ctx.settings.refresh_token_lifetime * 1000,
    ...fields,
  });
  return token;
}
