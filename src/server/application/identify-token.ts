import type { AccessTokenRecord, RefreshToken } from '../domain/entities';
import { hashHandle } from '../domain/handles';
import { identifyIssuedAccessTokenSync } from '../infrastructure/access-token';
import type { ProviderContext } from './provider-context';
import { SERVER_SIGNING_ALGS, serverKeyResolver } from './server-keys';

export type IdentifiedToken =
  | {
      readonly kind: 'access_token';
      readonly record: AccessTokenRecord;
      readonly claims: Record<string, unknown>;
    }
  | { readonly kind: 'refresh_token'; readonly record: RefreshToken };

const looksLikeJwt = (token: string) => token.split('.').length === 3;

function findAccessToken(ctx: ProviderContext, token: string): IdentifiedToken | undefined {
  if (!looksLikeJwt(token)) return undefined;
  // Signature, typ and issuer only, verified synchronously (node:crypto): expiry is judged by the
  // caller (introspection says active:false). A token that does not verify is undefined; anything
  // else thrown (the store failing) is the server's fault and surfaces as one, not as "inactive".
  const payload = identifyIssuedAccessTokenSync(token, {
    keys: serverKeyResolver(ctx.keys),
    issuer: ctx.issuer,
    algorithms: SERVER_SIGNING_ALGS,
  });
  if (!payload) return undefined;
  const record =
    typeof payload.jti === 'string' ? ctx.repositories.accessTokens.find(payload.jti) : undefined;
  return record ? { kind: 'access_token', record, claims: payload } : undefined;
}

function findRefreshToken(ctx: ProviderContext, token: string): IdentifiedToken | undefined {
  const record = ctx.repositories.refreshTokens.find(hashHandle(token));
  return record ? { kind: 'refresh_token', record } : undefined;
}

/**
 * Finds what a presented token is (RFC 7009 §2.1, RFC 7662 §2.1): `token_type_hint` says where to
 * look first; the other kind is searched too, as both RFCs require.
 */
export function identifyToken(
  ctx: ProviderContext,
  token: string,
  hint: string | undefined,
): IdentifiedToken | undefined {
  if (hint === 'refresh_token') return findRefreshToken(ctx, token) ?? findAccessToken(ctx, token);
  return findAccessToken(ctx, token) ?? findRefreshToken(ctx, token);
}
