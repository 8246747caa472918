import { verify, type CheckSpec } from '../../domain/check';
import type { Client } from '../../domain/client';
import { requiresDpop } from '../../domain/fapi-policy';
import { invalidScope } from '../../domain/oauth-error';
import type { Parameters } from '../../domain/parameters';
import { checkScopeSyntax, formatScope, parseScope } from '../../domain/scope';
import type { EndpointRequest } from '../endpoint-request';
import { issueAccessToken } from '../issue-tokens';
import type { ProviderContext } from '../provider-context';
import { verifyTokenRequestProof } from '../token-request-dpop';
import type { TokenResponse } from './token-response';

/** Scope values that make sense only with an end-user. */
const USER_SCOPES = new Set(['openid', 'offline_access', 'profile', 'email', 'address', 'phone']);

const scopeCheck: CheckSpec = {
  id: 'client_credentials.scope',
  description: 'The requested scope is registered for the client and needs no end-user',
  ref: 'RFC 6749 §4.4.2, §3.3',
};

/** RFC 6749 §4.4: a token for the client itself, sender-constrained under DPoP (RFC 9449 §5). */
export function clientCredentialsGrant(
  ctx: ProviderContext,
  request: EndpointRequest,
  client: Client,
  params: Parameters,
): TokenResponse {
  const registered = [...client.allowedScopes].filter((s) => !USER_SCOPES.has(s));
  checkScopeSyntax(params.scope);
  const requested = params.scope === undefined ? registered : parseScope(params.scope);
  const refused = requested.filter((s) => !registered.includes(s));
  verify(scopeCheck, refused.length === 0, () => invalidScope(`scope not allowed: ${refused.join(' ')}`));
  const proof = verifyTokenRequestProof(ctx, request, client, { required: requiresDpop(client) });
  const scope = formatScope(requested);
  const access = issueAccessToken(ctx, { client, scope, jkt: proof?.jkt });
  return { ...access, scope };
}
