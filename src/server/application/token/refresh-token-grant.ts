import { verify, type CheckSpec } from '../../domain/check';
import type { Client } from '../../domain/client';
import { refreshTokenRotation, requiresDpop } from '../../domain/fapi-policy';
import { hashHandle } from '../../domain/handles';
import { isRefreshTokenUsable } from '../../domain/refresh-token-state';
import { invalidGrant, invalidRequest, invalidScope } from '../../domain/oauth-error';
import type { Parameters } from '../../domain/parameters';
import { checkScopeSyntax, formatScope, parseScope } from '../../domain/scope';
import type { EndpointRequest } from '../endpoint-request';
import { issueRefreshToken, issueUserTokens } from '../issue-tokens';
import type { ProviderContext } from '../provider-context';
import { verifyTokenRequestProof } from '../token-request-dpop';
import type { TokenResponse } from './token-response';

const checks = {
  present: { id: 'refresh_token.present', description: 'refresh_token is present', ref: 'RFC 6749 §6' },
  known: {
    id: 'refresh_token.known',
    description: 'The refresh token was issued by this server',
    ref: 'RFC 6749 §6',
  },
  client: {
    id: 'refresh_token.client',
    description: 'The refresh token was issued to the authenticated client',
    ref: 'RFC 6749 §6',
  },
  active: {
    id: 'refresh_token.active',
    description: 'The refresh token and its grant are neither revoked nor expired',
    ref: 'RFC 6749 §6; RFC 7009 §2',
  },
  rotatedGrace: {
    id: 'refresh_token.rotation_grace',
    description: 'A rotated refresh token is only accepted within its short retry window',
    ref: 'FAPI 2.0 SP §5.3.2.1 (refresh token rotation)',
  },
  scope: {
    id: 'refresh_token.scope',
    description: 'The requested scope is within the originally granted scope',
    ref: 'RFC 6749 §6',
  },
} satisfies Record<string, CheckSpec>;

export { checks as refreshTokenChecks };

/** RFC 6749 §6, with RFC 9449 §5 (DPoP) and the no-rotation rule of FAPI 2.0 SP §5.3.2.1. */
export function refreshTokenGrant(
  ctx: ProviderContext,
  request: EndpointRequest,
  client: Client,
  params: Parameters,
): TokenResponse {
  verify(checks.present, params.refresh_token !== undefined, () =>
    invalidRequest('refresh_token is required', false),
  );
  const token = ctx.repositories.refreshTokens.find(hashHandle(params.refresh_token));
  verify(checks.known, token !== undefined, () => invalidGrant('the refresh token is invalid'));
  verify(checks.client, token.clientId === client.client_id, () =>
    invalidGrant('the refresh token was issued to another client'),
  );
  const now = ctx.clock.now();
  const grant = ctx.repositories.grants.find(token.grantId);
  const rotation = refreshTokenRotation(client, ctx.settings);
  verify(
    checks.active,
    grant !== undefined &&
      isRefreshTokenUsable({ ...token, rotatedAt: undefined }, grant, now, rotation.graceSeconds),
    () => invalidGrant('the refresh token is revoked or expired'),
  );
  if (token.rotatedAt !== undefined) {
    verify(checks.rotatedGrace, isRefreshTokenUsable(token, grant, now, rotation.graceSeconds), () =>
      invalidGrant('the refresh token was rotated'),
    );
  }

  // RFC 9449 §5: a grant whose access tokens were DPoP-bound stays DPoP-bound (never downgraded to
  // Bearer); a public client's refresh token is bound to the very key, a confidential client's to its
  // authentication, so it may move to a new key.
  const publicClient = client.metadata.token_endpoint_auth_method === 'none';
  const proof = verifyTokenRequestProof(ctx, request, client, {
    required: requiresDpop(client) || token.jkt !== undefined,
    expectedJkt: publicClient ? token.jkt : undefined,
  });

  const granted = parseScope(token.scope);
  checkScopeSyntax(params.scope);
  const requested = params.scope === undefined ? granted : parseScope(params.scope);
  const beyond = requested.filter((s) => !granted.includes(s));
  verify(checks.scope, beyond.length === 0, () =>
    invalidScope(`scope beyond the grant: ${beyond.join(' ')}`),
  );
  const scope = formatScope(requested);

  const authentication = { authTime: token.authTime, amr: token.amr, acr: token.acr };
  // OpenID Connect Core §12.2: with openid, a new ID token too, without a nonce.
  const tokens = issueUserTokens(ctx, {
    grantId: token.grantId,
    client,
    sub: token.sub,
    scope,
    jkt: proof?.jkt,
    ...authentication,
  });

  let refresh_token: string | undefined;
  // Of concurrent refreshes with one token, only the one that rotates it gets a successor (no fork).
  if (
    rotation.rotate &&
    token.rotatedAt === undefined &&
    ctx.repositories.refreshTokens.markRotated(token.tokenHash, now)
  ) {
    refresh_token = issueRefreshToken(ctx, grant, {
      sub: token.sub,
      scope: token.scope,
      jkt: proof?.jkt ?? token.jkt,
      ...authentication,
    });
  }
  return { ...tokens, scope, refresh_token };
}
