import { verify, type CheckSpec } from '../domain/check';
import { invalidRequest } from '../domain/oauth-error';
import { toParameters } from '../domain/parameters';
import { authenticateEndpointClient } from './authenticate-endpoint-client';
import type { EndpointRequest } from './endpoint-request';
import { identifyToken } from './identify-token';
import type { ProviderContext } from './provider-context';

const tokenPresent: CheckSpec = {
  id: 'revocation.token.present',
  description: 'token is present',
  ref: 'RFC 7009 §2.1',
};

/**
 * The revocation endpoint (RFC 7009). Revoking a refresh token revokes its whole grant: the access
 * tokens issued under it too (§2.1 allows it; we do it, so a revoked grant is dead at userinfo,
 * introspection and the demo resource server alike). Revoking
 * an access token revokes that token only. An unknown token, or a token of another client, is
 * answered 200 and nothing changes (§2.2: the client cannot learn anything from the answer).
 */
export function revoke(ctx: ProviderContext, request: EndpointRequest): void {
  const client = authenticateEndpointClient(ctx, request, 'revocation');
  const params = toParameters(request.body);
  verify(tokenPresent, params.token !== undefined, () => invalidRequest('token is required', false));
  const found = identifyToken(ctx, params.token, params.token_type_hint);
  if (!found || found.record.clientId !== client.client_id) return;
  const now = ctx.clock.now();
  if (found.kind === 'refresh_token') ctx.repositories.grants.revoke(found.record.grantId, now);
  else ctx.repositories.accessTokens.revoke(found.record.jti, now);
}
