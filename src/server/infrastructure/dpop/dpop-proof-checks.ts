import { privateMembersOf } from '../../domain/jwk-private-members';
import { createHash } from 'node:crypto';
import type { JWK, JWTPayload, ProtectedHeaderParameters } from 'jose';
import { skipCheck, verify, verifyWork } from '../../domain/check';
import type { OAuthError } from '../../domain/oauth-error';
import { temporarilyUnavailable } from '../../domain/oauth-error';
import type { ReplayCache } from '../../application/ports';
import {
  dpopAlg,
  dpopAth,
  dpopHtm,
  dpopHtu,
  dpopIat,
  dpopNbf,
  dpopJkt,
  dpopJtiUnique,
  dpopJwkPublic,
  dpopNonce,
  dpopRequiredClaims,
  dpopSignature,
  dpopSingleHeader,
  dpopTyp,
  dpopWellFormed,
} from './dpop-check-specs';
import {
  decodeWellFormedJwt,
  MIN_RSA_MODULUS_BITS,
  nonCanonicalKeyMember,
  rsaKeyTooLarge,
  rsaModulusBits,
  verifyCompactJwsSync,
  type WellFormedJwt,
} from '../jws';
import { importDpopKey } from './dpop-key-cache';
import type { DpopNonceSource } from './dpop-nonce-source';
import { normalizeHtu } from './normalize-htu';

/**
 * The checks of RFC 9449 §4.3, one function each. Each records its outcome and throws the error
 * `fail` builds (which differs between the token endpoint and a resource, see dpop-proof-error.ts).
 */

export type Fail = (description: string) => OAuthError;

/** The claims a proof must carry (RFC 9449 §4.2), once checked. */
export interface DpopProofClaims extends JWTPayload {
  readonly jti: string;
  readonly htm: string;
  readonly htu: string;
  readonly iat: number;
}

/** RFC 9449 §4.3 (1). Node joins repeated unknown headers with ", ", and a JWT never holds a comma. */
export function checkDpopSingleHeader(dpopHeader: string | readonly string[], fail: Fail): string {
  const values = typeof dpopHeader === 'string' ? [dpopHeader] : dpopHeader;
  const [only] = values;
  verify(dpopSingleHeader, values.length === 1 && only !== undefined && !only.includes(','), () =>
    fail('exactly one DPoP header is allowed'),
  );
  return only;
}

/** RFC 9449 §4.3 (2) */
export function checkDpopWellFormed(proof: string, fail: Fail): WellFormedJwt {
  const decoded = decodeWellFormedJwt(proof);
  verify(dpopWellFormed, decoded !== undefined, () => fail('the DPoP proof is not a well-formed JWT'));
  return decoded;
}

const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** RFC 9449 §4.3 (3), §4.2 */
export function checkDpopRequiredClaims(payload: JWTPayload, fail: Fail): DpopProofClaims {
  const missing = (['jti', 'htm', 'htu'] as const).filter((name) => !nonEmptyString(payload[name]));
  if (typeof payload.iat !== 'number' || !Number.isFinite(payload.iat)) missing.push('iat' as never);
  verify(dpopRequiredClaims, missing.length === 0, () =>
    fail(`the DPoP proof lacks required claims: ${missing.join(', ')}`),
  );
  return payload as DpopProofClaims;
}

/** RFC 9449 §4.3 (4) */
export function checkDpopTyp(header: ProtectedHeaderParameters, fail: Fail): void {
  verify(dpopTyp, header.typ === 'dpop+jwt', () => fail('the DPoP proof typ must be dpop+jwt'));
}

/** RFC 9449 §4.3 (5): asymmetric, not `none`, and accepted here (FAPI 2.0 SP §5.4.1). */
export function checkDpopAlg(
  header: ProtectedHeaderParameters,
  allowedAlgs: readonly string[],
  fail: Fail,
): string {
  const { alg } = header;
  const symmetric = typeof alg === 'string' && /^HS/i.test(alg);
  verify(dpopAlg, typeof alg === 'string' && alg !== 'none' && !symmetric && allowedAlgs.includes(alg), () =>
    fail(`the DPoP proof alg must be one of ${allowedAlgs.join(', ')}`),
  );
  return alg;
}

/**
 * RFC 9449 §4.3 (7); also FAPI 2.0 SP §5.4.1: RSA keys of at least 2048 bits; and none too large to
 * verify with cheaply (jwk-key-members.ts).
 */
export function checkDpopJwkPublic(header: ProtectedHeaderParameters, fail: Fail): JWK {
  const jwk: unknown = header.jwk;
  const isObject = typeof jwk === 'object' && jwk !== null && !Array.isArray(jwk);
  const key = (isObject ? jwk : {}) as Record<string, unknown>;
  const kty = key.kty === 'RSA' || key.kty === 'EC' || key.kty === 'OKP' ? key.kty : undefined;
  const malformed = kty && nonCanonicalKeyMember(key);
  const tooLarge = malformed ? undefined : rsaKeyTooLarge(key);
  const problem = !isObject
    ? 'the DPoP proof header must carry a jwk'
    : privateMembersOf(key).length > 0
      ? 'the DPoP proof jwk must not contain a private key'
      : !kty
        ? 'the DPoP proof jwk must be an RSA, EC or OKP public key'
        : malformed
          ? `the DPoP proof jwk member ${malformed} must be a base64url string`
          : kty === 'RSA' && rsaModulusBits(key.n as string) < MIN_RSA_MODULUS_BITS
            ? `the DPoP proof RSA key must be at least ${MIN_RSA_MODULUS_BITS} bits`
            : tooLarge
              ? `the DPoP proof jwk is too large to verify with: ${tooLarge}`
              : undefined;
  verify(dpopJwkPublic, problem === undefined, () => fail(problem ?? ''));
  return key as JWK;
}

/** RFC 9449 §4.3 (6): the proof verifies with the key in its own `jwk` header (imports are cached). */
export function checkDpopSignature(proof: WellFormedJwt, jwk: JWK, alg: string, fail: Fail): void {
  verifyWork(dpopSignature, () => {
    try {
      const key = importDpopKey(jwk, alg);
      // The signature only (synchronously, node:crypto); the claims are checked one by one below, so
      // extra claims in a proof are accepted (RFC 9449 §4.2), nbf then checked on its own.
      verifyCompactJwsSync(proof, key, alg);
    } catch {
      throw fail('the DPoP proof signature does not verify with its jwk');
    }
  });
}

/** RFC 9449 §4.3 (8) */
export function checkDpopHtm(htm: string, method: string, fail: Fail): void {
  verify(dpopHtm, htm === method, () => fail(`htm ${htm} does not match the request method ${method}`));
}

/**
 * RFC 9449 §4.3 (9): the query and fragment of htu are ignored, so a client that signs the full
 * request URI is accepted too.
 */
export function checkDpopHtu(htu: string, requestUri: string, fail: Fail): void {
  const normalized = normalizeHtu(htu);
  verify(dpopHtu, normalized !== undefined && normalized === normalizeHtu(requestUri), () =>
    fail('htu does not match the request URI'),
  );
}

/** RFC 9449 §4.3 (10), §8: a missing or stale nonce is answered with a fresh one. */
export function checkDpopNonce(
  nonce: unknown,
  nonces: DpopNonceSource | undefined,
  failNonce: (description: string, nonce: string) => OAuthError,
): void {
  if (!nonces) {
    skipCheck(dpopNonce, 'server nonces are not required');
    return;
  }
  verify(dpopNonce, typeof nonce === 'string' && nonces.isValid(nonce), () =>
    failNonce(
      nonce === undefined
        ? 'the DPoP proof must carry the server nonce'
        : 'the DPoP proof nonce is not current',
      nonces.current(),
    ),
  );
}

/** RFC 9449 §4.3 (11), §11.1: iat in [now − maxAge, now + allowedFuture], in seconds. */
export function checkDpopIat(
  iat: number,
  nowSeconds: number,
  window: { maxAgeSeconds: number; allowedFutureSeconds: number },
  fail: Fail,
): void {
  const tooOld = iat < nowSeconds - window.maxAgeSeconds;
  const tooNew = iat > nowSeconds + window.allowedFutureSeconds;
  verify(dpopIat, !tooOld && !tooNew, () =>
    fail(tooOld ? 'the DPoP proof is too old (iat)' : 'the DPoP proof iat is too far in the future'),
  );
}

/**
 * RFC 7519 §4.1.5: a proof that carries `nbf` (an extra claim RFC 9449 §4.2 lets a client add) is not
 * accepted before that time, with the skew allowed for `iat`: FAPI 2.0 SP §5.3.2.1 accepts `iat` and
 * `nbf` up to 10 s ahead and refuses them more than 60 s ahead.
 */
export function checkDpopNotBefore(
  nbf: unknown,
  nowSeconds: number,
  allowedFutureSeconds: number,
  fail: Fail,
): void {
  if (nbf === undefined) {
    skipCheck(dpopNbf, 'the proof has no nbf claim');
    return;
  }
  const isTime = typeof nbf === 'number' && Number.isFinite(nbf);
  verify(dpopNbf, isTime && nbf <= nowSeconds + allowedFutureSeconds, () =>
    fail(isTime ? 'the DPoP proof is not valid yet (nbf)' : 'the DPoP proof nbf is not a NumericDate'),
  );
}

/** RFC 9449 §4.3 (12), §7: at a resource, the proof is bound to the access token it comes with. */
export function checkDpopAth(ath: unknown, accessToken: string | undefined, fail: Fail): void {
  if (accessToken === undefined) {
    skipCheck(dpopAth, 'no access token is presented with this proof');
    return;
  }
  // §4.2: SHA-256 of the ASCII encoding of the token, as the clause words it (domain/sha256 hashes
  // UTF-8: the same bytes for an ASCII token, not for another).
  const expected = createHash('sha256').update(accessToken, 'ascii').digest('base64url');
  verify(dpopAth, ath === expected, () =>
    fail(ath === undefined ? 'the DPoP proof lacks ath' : 'ath does not match the access token'),
  );
}

/** RFC 9449 §4.3 (12), §6.1, §10: the proof key is the one the token (cnf.jkt) or the code is bound to. */
export function checkDpopJkt(jkt: string, expectedJkt: string | undefined, fail: Fail): void {
  if (expectedJkt === undefined) {
    skipCheck(dpopJkt, 'no key binding to compare with');
    return;
  }
  verify(dpopJkt, jkt === expectedJkt, () => fail('the DPoP proof key does not match the bound key (jkt)'));
}

/**
 * RFC 9449 §11.1: each proof is accepted once, so its jti is remembered for as long as the proof
 * could be accepted. Scoped by key thumbprint, so that one client cannot burn another's jti values,
 * and charged to the client (`clientId`), so that one client cannot fill the cache for the others.
 * A full cache refuses rather than forgets (fail closed).
 */
export function checkDpopJtiUnique(
  replayCache: ReplayCache,
  entry: { jkt: string; jti: string; expiresAt: number; clientId: string },
  fail: Fail,
): void {
  const outcome = replayCache.remember('dpop', `${entry.jkt}:${entry.jti}`, entry.expiresAt, entry.clientId);
  verify(dpopJtiUnique, outcome === 'new', () =>
    outcome === 'full'
      ? temporarilyUnavailable('the server cannot record more DPoP proofs now; retry shortly')
      : fail('the DPoP proof has already been used (jti)'),
  );
}
