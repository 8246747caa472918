import { verify, type CheckSpec } from '../domain/check';
import { invalidRequest } from '../domain/oauth-error';
import { toParameters } from '../domain/parameters';
import { authenticateEndpointClient } from './authenticate-endpoint-client';
import type { EndpointRequest } from './endpoint-request';
import { identifyToken } from './identify-token';
import { refreshTokenRotation } from '../domain/fapi-policy';
import { isRefreshTokenUsable } from '../domain/refresh-token-state';
import type { ProviderContext } from './provider-context';

const tokenPresent: CheckSpec = {
  id: 'introspection.token.present',
  description: 'token is present',
  ref: 'RFC 7662 §2.1',
};

/** RFC 7662 §2.2: anything not active is only `{"active": false}`. */
const INACTIVE = { active: false } as const;

/**
 * The introspection endpoint (RFC 7662). A client may introspect only the tokens issued to it: for
 * any other token the answer is inactive, so the endpoint reveals nothing about other clients' tokens.
 */
export function introspect(ctx: ProviderContext, request: EndpointRequest): Record<string, unknown> {
  const client = authenticateEndpointClient(ctx, request, 'introspection');
  const params = toParameters(request.body);
  verify(tokenPresent, params.token !== undefined, () => invalidRequest('token is required', false));
  const found = identifyToken(ctx, params.token, params.token_type_hint);
  if (!found || found.record.clientId !== client.client_id) return INACTIVE;
  const now = ctx.clock.now();
  const grant = found.record.grantId ? ctx.repositories.grants.find(found.record.grantId) : undefined;
  if (found.kind === 'refresh_token') {
    const grace = refreshTokenRotation(client, ctx.settings).graceSeconds;
    if (!isRefreshTokenUsable(found.record, grant, now, grace)) return INACTIVE;
  } else if (
    found.record.revokedAt !== undefined ||
    found.record.expiresAt <= now ||
    grant?.revokedAt !== undefined
  ) {
    return INACTIVE;
  }
  if (found.kind === 'access_token') {
    const { claims, record } = found;
    return {
      active: true,
      scope: record.scope,
      client_id: record.clientId,
      sub: claims.sub,
      exp: claims.exp,
      iat: claims.iat,
      iss: ctx.issuer,
      aud: claims.aud,
      jti: record.jti,
      // RFC 9449 §6.2: the token type and the key confirmation of a DPoP-bound token.
      token_type: record.jkt ? 'DPoP' : 'Bearer',
      ...(record.jkt ? { cnf: { jkt: record.jkt } } : {}),
    };
  }
  const { record } = found;
  return {
    active: true,
    scope: record.scope,
    client_id: record.clientId,
    sub: record.sub,
    exp: Math.floor(record.expiresAt / 1000),
    iat: Math.floor(record.createdAt / 1000),
    iss: ctx.issuer,
    token_type: 'refresh_token',
    // RFC 9449 §5: only a public client's refresh token is bound to a DPoP key.
    ...(record.jkt && client.metadata.token_endpoint_auth_method === 'none'
      ? { cnf: { jkt: record.jkt } }
      : {}),
  };
}
