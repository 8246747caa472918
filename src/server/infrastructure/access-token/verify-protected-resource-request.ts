import type { JWTVerifyGetKey } from 'jose';
import type { ReplayCache } from '../../application/ports';
import { verify, type CheckSpec } from '../../domain/check';
import type { Clock } from '../../domain/clock';
import { invalidRequest, invalidToken, isOAuthError, OAuthError } from '../../domain/oauth-error';
import {
  dpopProofError,
  dpopWwwAuthenticate,
  parseAuthorizationHeader,
  verifyDpopProof,
  type DpopNonceSource,
} from '../dpop';
import { verifyAccessToken, type AccessTokenClaims } from './verify-access-token';

export const protectedResourceChecks = {
  singleMethod: {
    id: 'resource.access_token.single_method',
    description: 'The access token is presented in one way only: the Authorization header or the body',
    ref: 'RFC 6750 §2, §3.1',
  },
  wellFormed: {
    id: 'resource.access_token.well_formed',
    description: 'A DPoP or Bearer Authorization header holds one token, a form access_token one value',
    ref: 'RFC 6750 §2.1, §2.2, §3.1; RFC 9449 §7.1',
  },
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
  /**
   * RFC 6750 §2.2: a form-encoded `access_token` body parameter (Bearer only), as the form parser gave
   * it (a list when the parameter was repeated).
   */
  readonly formAccessToken?: unknown;
}

export interface ProtectedResourceOptions {
  /** The issuer's keys; it must answer synchronously (verifyAccessToken). */
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
 * and for a DPoP-bound token a proof by the bound key that covers this token (`ath`). Errors carry
 * the challenge of the scheme in use (RFC 6750 §3, RFC 9449 §7.1): 400 for a malformed request, 401
 * otherwise, and no error code at all when the request carries no access token (RFC 6750 §3.1).
 * Synchronous, as verifyAccessToken is.
 */
export function verifyProtectedResourceRequest(
  request: ProtectedResourceRequest,
  options: ProtectedResourceOptions,
): { claims: AccessTokenClaims; token: string; scheme: 'dpop' | 'bearer' } {
  const { authorization } = request.headers;
  const form = request.formAccessToken;
  // A malformed header of one of these schemes still names it (no token): the request is then malformed.
  const fromHeader = parseAuthorizationHeader(authorization);
  const headerScheme = fromHeader?.scheme;
  const scheme = headerScheme ?? (form === undefined ? undefined : 'bearer');
  const challenge = (error: OAuthError): OAuthError => {
    if (error.headers['WWW-Authenticate']) return error;
    const dpop = dpopWwwAuthenticate(error.error, error.error_description, options.dpopAlgorithms);
    const bearer = `Bearer error="${error.error}"`;
    const header = scheme === 'dpop' ? dpop : scheme === 'bearer' ? bearer : `${dpop}, ${bearer}`;
    return error.withHeaders({ 'WWW-Authenticate': header });
  };
  try {
    verify(protectedResourceChecks.singleMethod, headerScheme === undefined || form === undefined, () =>
      invalidRequest('the access token is presented both in the Authorization header and in the body', false),
    );
    const fromForm =
      typeof form === 'string' && form !== '' ? { scheme: 'bearer' as const, token: form } : undefined;
    const presented =
      fromHeader === undefined
        ? fromForm
        : fromHeader.token === undefined
          ? undefined
          : { scheme: fromHeader.scheme, token: fromHeader.token };
    verify(
      protectedResourceChecks.wellFormed,
      presented !== undefined || (headerScheme === undefined && form === undefined),
      () =>
        invalidRequest(
          headerScheme === undefined
            ? 'access_token must be given once, and not empty'
            : `the Authorization header must be "${headerScheme === 'dpop' ? 'DPoP' : 'Bearer'} <access token>"`,
          false,
        ),
    );
    // RFC 6750 §3.1: a request without authentication information gets the challenges, no error code.
    verify(protectedResourceChecks.presented, presented !== undefined, () =>
      invalidToken('an access token is required').withHeaders({
        'WWW-Authenticate': `${dpopWwwAuthenticate(undefined, undefined, options.dpopAlgorithms)}, Bearer`,
      }),
    );
    const claims = verifyAccessToken(presented.token, {
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
    if (isOAuthError(e)) throw challenge(e);
    throw e;
  }
}
