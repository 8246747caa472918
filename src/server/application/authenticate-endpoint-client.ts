import type { Client } from '../domain/client';
import { authenticateClient } from '../infrastructure/client-authentication';
import type { EndpointRequest } from './endpoint-request';
import type { ProviderContext } from './provider-context';

export type AuthenticatedEndpoint = 'token' | 'pushed_authorization_request' | 'introspection' | 'revocation';

/** Client authentication at an endpoint (RFC 6749 §2.3, RFC 7523 §2.2) with the provider's context. */
export function authenticateEndpointClient(
  ctx: ProviderContext,
  request: EndpointRequest,
  endpoint: AuthenticatedEndpoint,
): Client {
  const result = authenticateClient(
    { headers: request.headers, body: (request.body ?? {}) as Record<string, unknown> },
    {
      clients: ctx.clients,
      issuer: ctx.issuer,
      endpoint,
      tokenEndpointUrl: ctx.endpoints.token,
      endpointUrl: {
        token: ctx.endpoints.token,
        pushed_authorization_request: ctx.endpoints.pushedAuthorizationRequest,
        introspection: ctx.endpoints.introspection,
        revocation: ctx.endpoints.revocation,
      }[endpoint],
      clock: ctx.clock,
      replayCache: ctx.replayCache,
    },
  );
  return result.client;
}
