import type { JWTVerifyGetKey } from 'jose';
import type { ReplayCache } from '../../application/ports';
import { verify, type CheckSpec } from '../../domain/check';
import type { Clock } from '../../domain/clock';
import { invalidToken, isOAuthError, OAuthError } from '../../domain/oauth-error';
import {
  dpopProofError,
  dpopWwwAuthenticate,
  parseAuthorizationHeader,
  verifyDpopProof,
  type DpopNonceSource,
} from '../dpop';
import { verifyAccessToken, type AccessTokenClaims } from './verify-access-token';

export const protectedResourceChecks = {
  presented: {
    id: 'resource.access_token.present',
    description: 'An access token is presented in the Authorization header (DPoP or Bearer scheme)',
    ref: 'RFC 6750 §2.1; RFC 9449 §7.1',
  },
  boundTokenScheme: {
    id: 'resource.dpop_bound_token_scheme',
    description: 'A DPoP-bound token (cnf.jkt) is presented with the DPoP scheme, never as Bearer',
    ref: 'RFC 9449 §7.2',
  },
  dpopSchemeBound: {
    id: 'resource.dpop_scheme_bound_token',
    description: 'A token presented with the DPoP scheme is DPoP-bound (has cnf.jkt)',
    ref: 'RFC 9449 §7.1',
  },
  proofPresent: {
    id: 'resource.dpop_proof.present',
    description: 'A DPoP proof accompanies a DPoP-bound token',
    ref: 'RFC 9449 §7.1',
  },
} satisfies Record<string, CheckSpec>;

export interface ProtectedResourceRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** RFC 6750 §2.2: a form-encoded `access_token` body parameter (Bearer only). */
  readonly formAccessToken?: string;
}

export interface ProtectedResourceOptions {
  readonly keys: JWTVerifyGetKey;
  readonly issuer: string;
  readonly audience?: string;
  readonly tokenAlgorithms: string[];
  readonly dpopAlgorithms: readonly string[];
  readonly clock: Clock;
  readonly replayCache: ReplayCache;
  readonly dpopMaxAgeSeconds: number;
  readonly dpopAllowedFutureSeconds: number;
  readonly nonces?: DpopNonceSource;
}

/**
 * Authenticates a request to a protected resource (RFC 6750 §2, RFC 9449 §7): the token verified,
 * and for a DPoP-bound token a proof by the bound key that covers this token (`ath`). Errors are 401
 * with the challenge of the scheme in use (RFC 6750 §3, RFC 9449 §7.1).
 */
export async function verifyProtectedResourceRequest(
  request: ProtectedResourceRequest,
  options: ProtectedResourceOptions,
): Promise<{ claims: AccessTokenClaims; token: string; scheme: 'dpop' | 'bearer' }> {
  const presented =
    parseAuthorizationHeader(request.headers.authorization) ??
    (request.formAccessToken ? { scheme: 'bearer' as const, token: request.formAccessToken } : undefined);
  const challenge = (scheme: 'dpop' | 'bearer' | undefined, error: OAuthError): OAuthError => {
    if (error.headers['WWW-Authenticate']) return error;
    const dpop = dpopWwwAuthenticate(error.error, error.error_description, options.dpopAlgorithms);
    const bearer = `Bearer error="${error.error}"`;
    const header = scheme === 'dpop' ? dpop : scheme === 'bearer' ? bearer : `${dpop}, ${bearer}`;
    return error.withHeaders({ 'WWW-Authenticate': header });
  };
  try {
    verify(protectedResourceChecks.presented, presented !== undefined, () =>
      invalidToken('an access token is required'),
    );
    const claims = await verifyAccessToken(presented.token, {
      keys: options.keys,
      issuer: options.issuer,
      audience: options.audience,
      clock: options.clock,
      algorithms: options.tokenAlgorithms,
    });
    const jkt = claims.cnf?.jkt;
    if (jkt !== undefined) {
      verify(protectedResourceChecks.boundTokenScheme, presented.scheme === 'dpop', () =>
        invalidToken('a DPoP-bound access token must be presented with the DPoP scheme'),
      );
      verify(protectedResourceChecks.proofPresent, request.headers.dpop !== undefined, () =>
        dpopProofError(
          'resource',
          'a DPoP proof is required with a DPoP-bound access token',
          options.dpopAlgorithms,
        ),
      );
      verifyDpopProof({
        dpopHeader: request.headers.dpop,
        method: request.method,
        url: request.url,
        accessToken: presented.token,
        expectedJkt: jkt,
        allowedAlgs: options.dpopAlgorithms,
        clock: options.clock,
        replayCache: options.replayCache,
        clientId: claims.client_id,
        maxAgeSeconds: options.dpopMaxAgeSeconds,
        allowedFutureSeconds: options.dpopAllowedFutureSeconds,
        nonces: options.nonces,
        context: 'resource',
      });
    } else {
      verify(protectedResourceChecks.dpopSchemeBound, presented.scheme === 'bearer', () =>
        invalidToken('the access token is not DPoP-bound; use the Bearer scheme'),
      );
    }
    return { claims, token: presented.token, scheme: presented.scheme };
  } catch (e) {
    if (isOAuthError(e)) throw challenge(presented?.scheme, e);
    throw e;
  }
}
