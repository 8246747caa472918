import type { JWK, JWTPayload, ProtectedHeaderParameters } from 'jose';
import type { ReplayCache } from '../../application/ports';
import { skipCheck, verify, verifyWork, witnessSignature } from '../../domain/check';
import type { Client } from '../../domain/client';
import { signatureKeyNames } from '../../domain/signature-key-names';
import { allowedSigningAlgs } from '../../domain/fapi-policy';
import { invalidClient, temporarilyUnavailable } from '../../domain/oauth-error';
import {
  clientAssertionAlg,
  clientAssertionAud,
  clientAssertionExp,
  clientAssertionExpBounded,
  clientAssertionIat,
  clientAssertionIssSub,
  clientAssertionJti,
  clientAssertionNbf,
  clientAssertionSignature,
  clientAssertionType,
  clientAssertionWellFormed,
} from './client-auth-check-specs';
import {
  JwsError,
  JwsSignatureError,
  decodeWellFormedJwt,
  verifyCompactJwsSync,
  type WellFormedJwt,
} from '../jws';
import { importClientKey, keyFitsAlg } from './client-key-cache';

/** The checks of a private_key_jwt client assertion (RFC 7523 §3), one function each; failures are invalid_client. */

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface DecodedAssertion {
  readonly header: ProtectedHeaderParameters;
  readonly payload: JWTPayload;
}

/** RFC 7523 §2.2 */
export function checkClientAssertionType(assertionType: unknown): void {
  verify(clientAssertionType, assertionType === JWT_BEARER_ASSERTION_TYPE, () =>
    invalidClient(`client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}`),
  );
}

/** RFC 7523 §3 (8), RFC 7521 §4.2: one compact JWS, with a JSON object payload. */
export function checkClientAssertionWellFormed(assertion: unknown): WellFormedJwt {
  const decoded = decodeWellFormedJwt(assertion);
  verify(clientAssertionWellFormed, decoded !== undefined, () =>
    invalidClient('client_assertion is not a well-formed JWT'),
  );
  return decoded;
}

/**
 * FAPI 2.0 SP §5.4.1: PS256, ES256, EdDSA (RS256 too under the standard profile); the registered
 * token_endpoint_auth_signing_alg when there is one. `none` and HMAC are never in these lists.
 */
export function checkClientAssertionAlg(client: Client, header: ProtectedHeaderParameters): string {
  const { alg } = header;
  const registered = client.metadata.token_endpoint_auth_signing_alg;
  const allowed: readonly string[] = allowedSigningAlgs(client);
  verify(
    clientAssertionAlg,
    typeof alg === 'string' && allowed.includes(alg) && (registered === undefined || alg === registered),
    () =>
      invalidClient(
        registered !== undefined
          ? `client_assertion must be signed with ${registered}`
          : `client_assertion alg must be one of ${allowed.join(', ')}`,
      ),
  );
  return alg;
}

/**
 * RFC 7523 §3 (9): verified with a key of the client's jwks — the one named by `kid`, or else each key
 * that fits the algorithm. Returns the kid of the key that verified it (for the lab).
 */
export function checkClientAssertionSignature(
  client: Client,
  assertion: WellFormedJwt,
  alg: string,
): string | undefined {
  const { header } = assertion;
  return verifyWork(clientAssertionSignature, () => {
    // RFC 7515 §4.1.4: a kid is a string. (An object's own toString member would otherwise run, or
    // throw, where the kid is written into a message.)
    if (header.kid !== undefined && typeof header.kid !== 'string') {
      throw invalidClient('client_assertion kid must be a string');
    }
    const keys = (client.jwks?.keys ?? []) as JWK[];
    const candidates = keys.filter(
      (k) => keyFitsAlg(k, alg) && (header.kid === undefined || k.kid === header.kid),
    );
    if (candidates.length === 0) {
      throw invalidClient(
        header.kid !== undefined
          ? `no registered key of the client has kid ${header.kid} for ${alg}`
          : `the client has no registered key for ${alg}`,
      );
    }
    // What refuses the JWS whatever the key (an unrecognized crit extension, RFC 7515 §4.1.11).
    let refusal: string | undefined;
    for (const jwk of candidates) {
      const key = importClientKey(jwk, alg);
      if (!key) continue;
      try {
        verifyCompactJwsSync(assertion, key, alg);
        witnessSignature(assertion, () => signatureKeyNames.client(client.client_id, jwk.kid));
        return jwk.kid;
      } catch (e) {
        // Try the next key that fits.
        if (e instanceof JwsError && !(e instanceof JwsSignatureError)) refusal = e.message;
      }
    }
    throw invalidClient(
      refusal === undefined
        ? 'client_assertion signature does not verify with the registered keys'
        : `client_assertion is refused: ${refusal}`,
    );
  });
}

/** RFC 7523 §3 (1), (2); OpenID Connect Core §9: both name the client itself. */
export function checkClientAssertionIssSub(client: Client, payload: JWTPayload): void {
  verify(clientAssertionIssSub, payload.iss === client.client_id && payload.sub === client.client_id, () =>
    invalidClient('client_assertion iss and sub must both be the client_id'),
  );
}

/**
 * FAPI 2.0 SP §5.3.2.1 (8): under fapi2, aud is exactly the issuer identifier as a single string — an
 * array, the token endpoint URL or the PAR endpoint URL are refused (they open audience-injection
 * attacks). Under the standard profile, RFC 7523 §3 (3) and RFC 9126 §2: the issuer, the token endpoint
 * URL or the URL of the endpoint called, alone or among the values of an array.
 */
export function checkClientAssertionAud(
  client: Client,
  aud: unknown,
  audience: { issuer: string; tokenEndpointUrl?: string; endpointUrl?: string },
): void {
  if (client.profile === 'fapi2') {
    verify(clientAssertionAud, typeof aud === 'string' && aud === audience.issuer, () =>
      invalidClient(
        Array.isArray(aud)
          ? 'client_assertion aud must be a single string, the issuer identifier'
          : 'client_assertion aud must be the issuer identifier',
      ),
    );
    return;
  }
  const accepted = [audience.issuer, audience.tokenEndpointUrl, audience.endpointUrl].filter(
    (v): v is string => v !== undefined,
  );
  const values = Array.isArray(aud) ? aud : [aud];
  verify(
    clientAssertionAud,
    values.some((v) => typeof v === 'string' && accepted.includes(v)),
    () => invalidClient('client_assertion aud does not identify this authorization server'),
  );
}

/**
 * Seconds ahead an assertion's exp may lie. RFC 7523 §3 (4) lets the server refuse an exp unreasonably
 * far in the future; each accepted `jti` is remembered until exp, so this also bounds the replay cache.
 */
export const MAX_CLIENT_ASSERTION_LIFETIME_SECONDS = 300;

/** RFC 7523 §3 (4): present, not past (no leeway: a client chooses exp, and it chooses it ahead), not years ahead. */
export function checkClientAssertionExp(payload: JWTPayload, nowSeconds: number): number {
  const { exp } = payload;
  verify(clientAssertionExp, typeof exp === 'number' && exp > nowSeconds, () =>
    invalidClient(typeof exp === 'number' ? 'client_assertion has expired' : 'client_assertion lacks exp'),
  );
  verify(clientAssertionExpBounded, exp <= nowSeconds + MAX_CLIENT_ASSERTION_LIFETIME_SECONDS, () =>
    invalidClient(`client_assertion exp is more than ${MAX_CLIENT_ASSERTION_LIFETIME_SECONDS} s ahead`),
  );
  return exp;
}

/**
 * RFC 7523 §3 (5), (6) with FAPI 2.0 SP §5.3.2.1: a client's clock may run ahead, so nbf and iat are
 * accepted up to `skewSeconds` in the future. FAPI allows anything from 10 to 60 s; the lab uses 10 s,
 * the strict end, so that 61 s is always refused.
 */
export function checkClientAssertionNotBefore(
  payload: JWTPayload,
  nowSeconds: number,
  skewSeconds: number,
): void {
  for (const [claim, spec] of [
    ['nbf', clientAssertionNbf],
    ['iat', clientAssertionIat],
  ] as const) {
    const value = payload[claim];
    if (value === undefined) {
      skipCheck(spec, `no ${claim} claim`);
      continue;
    }
    verify(spec, typeof value === 'number' && value <= nowSeconds + skewSeconds, () =>
      invalidClient(
        typeof value === 'number'
          ? `client_assertion ${claim} is in the future`
          : `client_assertion ${claim} is not a number`,
      ),
    );
  }
}

/**
 * RFC 7523 §3 (7), OpenID Connect Core §9: a jti is used once; it is remembered until the assertion
 * expires (after which exp refuses it anyway), per client. A full cache refuses instead of forgetting.
 */
export function checkClientAssertionJti(
  client: Client,
  payload: JWTPayload,
  replayCache: ReplayCache,
  exp: number,
): void {
  const { jti } = payload;
  const outcome =
    typeof jti === 'string' && jti !== ''
      ? replayCache.remember(
          'client_assertion',
          JSON.stringify([client.client_id, jti]),
          exp * 1000,
          client.client_id,
        )
      : 'missing';
  verify(clientAssertionJti, outcome === 'new', () =>
    outcome === 'full'
      ? temporarilyUnavailable('the server cannot record more client assertions now; retry shortly')
      : invalidClient(
          outcome === 'missing'
            ? 'client_assertion lacks jti'
            : 'client_assertion has already been used (jti)',
        ),
  );
}
