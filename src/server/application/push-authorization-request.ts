import { validateAuthorizationParameters } from '../domain/authorization-request';
import { verify, type CheckSpec } from '../domain/check';
import { hashHandle, newHandle } from '../domain/handles';
import { invalidDpopProof, invalidRequest } from '../domain/oauth-error';
import { toParameters, type Parameters } from '../domain/parameters';
import { authenticateEndpointClient } from './authenticate-endpoint-client';
import type { EndpointRequest } from './endpoint-request';
import type { ProviderContext } from './provider-context';
import { REQUEST_URI_PREFIX } from './pushed-request-lookup';
import { verifyTokenRequestProof } from './token-request-dpop';

const checks = {
  noRequestUri: {
    id: 'par.no_request_uri',
    description: 'The pushed request does not itself carry a request_uri',
    ref: 'RFC 9126 §2.1',
  },
  dpopJktMatchesProof: {
    id: 'par.dpop_jkt.matches_proof',
    description: 'dpop_jkt and the DPoP proof name the same key',
    ref: 'RFC 9449 §10.1',
  },
} satisfies Record<string, CheckSpec>;

export { checks as pushedAuthorizationRequestChecks };

/** Client authentication travels in the same form (RFC 9126 §2.1) but is no part of the request to store. */
const CLIENT_CREDENTIALS = new Set(['client_secret', 'client_assertion', 'client_assertion_type']);

/** The authorization request parameters of a PAR body, without the client's credentials (never stored). */
export const authorizationParameters = (params: Parameters): Parameters =>
  Object.fromEntries(Object.entries(params).filter(([name]) => !CLIENT_CREDENTIALS.has(name)));

export interface PushedAuthorizationResponse {
  readonly request_uri: string;
  readonly expires_in: number;
}

/**
 * The PAR endpoint (RFC 9126 §2): authenticates the client, validates the whole authorization request
 * now, and stores it under a one-time request_uri (stored as a hash) that expires in under 600 s.
 */
export function pushAuthorizationRequest(
  ctx: ProviderContext,
  request: EndpointRequest,
): PushedAuthorizationResponse {
  const client = authenticateEndpointClient(ctx, request, 'pushed_authorization_request');
  const params = toParameters(request.body);
  verify(checks.noRequestUri, params.request_uri === undefined, () =>
    invalidRequest('request_uri must not be sent to the PAR endpoint', false),
  );
  // A client_id sent beside other credentials names the authenticated client: client authentication
  // checks it (client_auth.client_id_consistent, RFC 6749 §2.3.1, RFC 7521 §4.2).
  const authorization = validateAuthorizationParameters(client, params);
  // RFC 9449 §10.1: a DPoP proof at PAR is optional; when sent it binds the code to its key, like dpop_jkt.
  const proof = verifyTokenRequestProof(ctx, request, client, { required: false });
  if (proof && authorization.dpop_jkt !== undefined) {
    verify(checks.dpopJktMatchesProof, proof.jkt === authorization.dpop_jkt, () =>
      invalidDpopProof('dpop_jkt does not match the key of the DPoP proof'),
    );
  }

  const handle = newHandle();
  const now = ctx.clock.now();
  const lifetime = ctx.settings.pushed_authorization_request_lifetime;
  ctx.repositories.pushedRequests.save({
    requestUriHash: hashHandle(handle),
    clientId: client.client_id,
    params: { ...authorizationParameters(params), client_id: client.client_id },
    dpopJkt: authorization.dpop_jkt ?? proof?.jkt,
    createdAt: now,
    expiresAt: now + lifetime * 1000,
  });
  return { request_uri: `${REQUEST_URI_PREFIX}${handle}`, expires_in: lifetime };
}
