import { verify, type CheckSpec } from '../domain/check';
import { dpopAlgorithms } from '../domain/fapi-policy';
import { insufficientScope, invalidToken } from '../domain/oauth-error';
import { claimsForScopes, parseScope } from '../domain/scope';
import { verifyProtectedResourceRequest } from '../infrastructure/access-token';
import type { EndpointRequest } from './endpoint-request';
import type { ProviderContext } from './provider-context';
import { SERVER_SIGNING_ALGS, serverKeyResolver } from './server-keys';
import { ALLOWED_FUTURE_SECONDS } from './token-request-dpop';

const checks = {
  notRevoked: {
    id: 'userinfo.access_token.active',
    description: 'The access token has not been revoked',
    ref: 'RFC 7009 §2; OpenID Connect Core §5.3.3',
  },
  openidScope: {
    id: 'userinfo.scope.openid',
    description: 'The access token was granted the openid scope',
    ref: 'OpenID Connect Core §5.3',
  },
  userKnown: {
    id: 'userinfo.subject',
    description: 'The token’s subject is a known user',
    ref: 'OpenID Connect Core §5.3.2',
  },
} satisfies Record<string, CheckSpec>;

export { checks as userinfoChecks };

/** The UserInfo endpoint (OpenID Connect Core §5.3), DPoP-aware (RFC 9449 §7). */
export function userinfo(ctx: ProviderContext, request: EndpointRequest): Record<string, unknown> {
  const form = (request.body ?? {}) as Record<string, unknown>;
  const { claims } = verifyProtectedResourceRequest(
    {
      method: request.method,
      url: request.url,
      headers: request.headers,
      formAccessToken: form.access_token,
    },
    {
      keys: serverKeyResolver(ctx.keys),
      issuer: ctx.issuer,
      tokenAlgorithms: SERVER_SIGNING_ALGS,
      dpopAlgorithms,
      clock: ctx.clock,
      replayCache: ctx.replayCache,
      dpopMaxAgeSeconds: ctx.settings.dpop_proof_max_age,
      dpopAllowedFutureSeconds: ALLOWED_FUTURE_SECONDS,
      nonces: ctx.dpopNonces,
    },
  );
  const record = ctx.repositories.accessTokens.find(claims.jti);
  const challenge = { 'WWW-Authenticate': `${claims.cnf?.jkt ? 'DPoP' : 'Bearer'} error="invalid_token"` };
  verify(checks.notRevoked, record !== undefined && record.revokedAt === undefined, () =>
    invalidToken('the access token was revoked').withHeaders(challenge),
  );
  const scopes = parseScope(claims.scope);
  verify(checks.openidScope, scopes.includes('openid'), () =>
    insufficientScope('the access token lacks the openid scope').withHeaders({
      'WWW-Authenticate': `${claims.cnf?.jkt ? 'DPoP' : 'Bearer'} error="insufficient_scope", scope="openid"`,
    }),
  );
  const user = record.sub ? ctx.users.findBySub(record.sub) : undefined;
  verify(checks.userKnown, user !== undefined, () =>
    invalidToken('the token’s subject is unknown').withHeaders(challenge),
  );
  return claimsForScopes(user.sub, user.claims, scopes);
}
