import { jwtVerify } from 'jose';
import type { AccessTokenRecord, RefreshToken } from '../domain/entities';
import { hashHandle } from '../domain/handles';
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

async function findAccessToken(ctx: ProviderContext, token: string): Promise<IdentifiedToken | undefined> {
  if (!looksLikeJwt(token)) return undefined;
  try {
    // Signature and issuer only: expiry is judged by the caller (introspection says active:false).
    const { payload } = await jwtVerify(token, serverKeyResolver(ctx.keys), {
      issuer: ctx.issuer,
      typ: 'at+jwt',
      algorithms: SERVER_SIGNING_ALGS,
      currentDate: new Date(0),
    });
    const record =
      typeof payload.jti === 'string' ? ctx.repositories.accessTokens.find(payload.jti) : undefined;
    return record ? { kind: 'access_token', record, claims: payload } : undefined;
  } catch {
    return undefined;
  }
}

function findRefreshToken(ctx: ProviderContext, token: string): IdentifiedToken | undefined {
  const record = ctx.repositories.refreshTokens.find(hashHandle(token));
  return record ? { kind: 'refresh_token', record } : undefined;
}

/**
 * Finds what a presented token is (RFC 7009 §2.1, RFC 7662 §2.1): `token_type_hint` says where to
 * look first; the other kind is searched too, as both RFCs require.
 */
export async function identifyToken(
  ctx: ProviderContext,
  token: string,
  hint: string | undefined,
): Promise<IdentifiedToken | undefined> {
  if (hint === 'refresh_token') return findRefreshToken(ctx, token) ?? (await findAccessToken(ctx, token));
  return (await findAccessToken(ctx, token)) ?? findRefreshToken(ctx, token);
}
