import { verify, type CheckSpec } from '../../domain/check';
import { invalidRequest, unauthorizedClient, unsupportedGrantType } from '../../domain/oauth-error';
import { toParameters } from '../../domain/parameters';
import { authenticateEndpointClient } from '../authenticate-endpoint-client';
import type { EndpointRequest } from '../endpoint-request';
import type { ProviderContext } from '../provider-context';
import { clientCredentialsGrant } from './client-credentials-grant';
import { authorizationCodeGrant } from './authorization-code-grant';
import { refreshTokenGrant } from './refresh-token-grant';
import type { TokenResponse } from './token-response';

const grants = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
} as const;

type SupportedGrantType = keyof typeof grants;

const checks = {
  grantTypePresent: {
    id: 'token.grant_type.present',
    description: 'grant_type is present',
    ref: 'RFC 6749 §4.1.3',
  },
  grantTypeSupported: {
    id: 'token.grant_type.supported',
    description: 'grant_type is one this server supports (never the resource owner password grant)',
    ref: 'RFC 6749 §5.2; FAPI 2.0 SP §5.3.2.1 (2)',
  },
  grantTypeRegistered: {
    id: 'token.grant_type.registered',
    description: 'The client is registered for this grant_type',
    ref: 'RFC 6749 §5.2 (unauthorized_client); RFC 7591 §2',
  },
} satisfies Record<string, CheckSpec>;

export { checks as tokenEndpointChecks };

/** The token endpoint (RFC 6749 §3.2): client authentication first, then the grant. */
export function handleTokenRequest(ctx: ProviderContext, request: EndpointRequest): TokenResponse {
  const client = authenticateEndpointClient(ctx, request, 'token');
  const params = toParameters(request.body);
  const grantType = params.grant_type;
  verify(checks.grantTypePresent, grantType !== undefined, () =>
    invalidRequest('grant_type is required', false),
  );
  verify(checks.grantTypeSupported, Object.hasOwn(grants, grantType), () =>
    unsupportedGrantType(`grant_type ${grantType} is not supported`),
  );
  const supported = grantType as SupportedGrantType;
  verify(checks.grantTypeRegistered, client.metadata.grant_types.includes(supported), () =>
    unauthorizedClient(`the client is not registered for grant_type ${supported}`, false),
  );
  return grants[supported](ctx, request, client, params);
}
