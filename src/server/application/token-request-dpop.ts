import { verify, type CheckSpec } from '../domain/check';
import type { Client } from '../domain/client';
import { allowedSigningAlgs, dpopAlgorithms } from '../domain/fapi-policy';
import { invalidDpopProof } from '../domain/oauth-error';
import { verifyDpopProof, type DpopProofResult } from '../infrastructure/dpop';
import type { EndpointRequest } from './endpoint-request';
import type { ProviderContext } from './provider-context';

/** Seconds a proof's `iat` may lie ahead of the server clock (FAPI 2.0 SP §5.3.2.1: 10 s). */
export const ALLOWED_FUTURE_SECONDS = 10;

const proofRequired: CheckSpec = {
  id: 'dpop.required',
  description: 'A client registered for sender-constrained tokens sends a DPoP proof',
  ref: 'RFC 9449 §5.2 (dpop_bound_access_tokens); FAPI 2.0 SP §5.3.2.1 (sender-constrained tokens)',
};

/** The algorithms a proof may use for this client (FAPI 2.0 SP §5.4.1 under fapi2). */
export const dpopAlgsFor = (client: Client): readonly string[] =>
  dpopAlgorithms.filter((alg) => allowedSigningAlgs(client).includes(alg));

/**
 * The DPoP proof of a token or PAR request (RFC 9449 §5), verified; undefined when none was sent and
 * none is required.
 */
export function verifyTokenRequestProof(
  ctx: ProviderContext,
  request: EndpointRequest,
  client: Client,
  options: { readonly required: boolean; readonly expectedJkt?: string },
): DpopProofResult | undefined {
  const proof = verifyDpopProof({
    dpopHeader: request.headers.dpop,
    method: request.method,
    url: request.url,
    expectedJkt: options.expectedJkt,
    allowedAlgs: dpopAlgsFor(client),
    clock: ctx.clock,
    replayCache: ctx.replayCache,
    clientId: client.client_id,
    maxAgeSeconds: ctx.settings.dpop_proof_max_age,
    allowedFutureSeconds: ALLOWED_FUTURE_SECONDS,
    nonces: ctx.dpopNonces,
    context: 'token',
  });
  if (options.required) {
    verify(proofRequired, proof !== undefined, () =>
      invalidDpopProof('a DPoP proof is required for this client'),
    );
  }
  return proof;
}
