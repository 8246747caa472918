import { OAuthError, invalidDpopProof, useDpopNonce } from '../../domain/oauth-error';
import { dpopWwwAuthenticate } from './dpop-www-authenticate';

/** Where a proof is checked: the token/PAR endpoints (RFC 9449 §5) or a protected resource (§7). */
export type DpopContext = 'token' | 'resource';

/**
 * An invalid proof: `400 invalid_dpop_proof` at the token endpoint (RFC 9449 §5); at a resource,
 * `401` with a `WWW-Authenticate: DPoP` challenge naming the error and the accepted algorithms (§7.1).
 */
export function dpopProofError(
  context: DpopContext,
  description: string,
  algs: readonly string[],
): OAuthError {
  if (context === 'token') return invalidDpopProof(description);
  return new OAuthError('invalid_dpop_proof', description, 401, {
    headers: { 'WWW-Authenticate': dpopWwwAuthenticate('invalid_dpop_proof', description, algs) },
  });
}

/**
 * The client must retry with the server's nonce (RFC 9449 §8): `400 use_dpop_nonce` at the token
 * endpoint, `401` with a DPoP challenge at a resource (§9); both carry the fresh `DPoP-Nonce`.
 */
export function dpopNonceError(
  context: DpopContext,
  description: string,
  nonce: string,
  algs: readonly string[],
): OAuthError {
  if (context === 'token') return useDpopNonce(description, nonce);
  return new OAuthError('use_dpop_nonce', description, 401, {
    headers: {
      'WWW-Authenticate': dpopWwwAuthenticate('use_dpop_nonce', description, algs),
      'DPoP-Nonce': nonce,
    },
  });
}
