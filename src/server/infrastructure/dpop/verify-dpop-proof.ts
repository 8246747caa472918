import type { JWK, ProtectedHeaderParameters } from 'jose';
import type { ReplayCache } from '../../application/ports';
import { witnessSignature } from '../../domain/check';
import type { Clock } from '../../domain/clock';
import { signatureKeyNames } from '../../domain/signature-key-names';
import { jwkThumbprintSync } from '../jws';
import { epochSeconds } from '../../domain/clock';
import type { DpopNonceSource } from './dpop-nonce-source';
import { dpopNonceError, dpopProofError, type DpopContext } from './dpop-proof-error';
import {
  checkDpopAlg,
  checkDpopAth,
  checkDpopHtm,
  checkDpopHtu,
  checkDpopIat,
  checkDpopJkt,
  checkDpopJtiUnique,
  checkDpopJwkPublic,
  checkDpopNotBefore,
  checkDpopNonce,
  checkDpopRequiredClaims,
  checkDpopSignature,
  checkDpopSingleHeader,
  checkDpopTyp,
  checkDpopWellFormed,
  type DpopProofClaims,
} from './dpop-proof-checks';

export interface DpopProofInput {
  /** The raw `DPoP` request header(s). */
  readonly dpopHeader: string | string[] | undefined;
  /** The request method. */
  readonly method: string;
  /** The request URI as the client addressed it, absolute (scheme, host, port, path). */
  readonly url: string;
  /** At a resource: the access token presented with the proof, to check `ath`. */
  readonly accessToken?: string;
  /** The `cnf.jkt` of the token, or the `dpop_jkt` bound to a code or pushed request. */
  readonly expectedJkt?: string;
  readonly allowedAlgs: readonly string[];
  readonly clock: Clock;
  readonly replayCache: ReplayCache;
  /** The client the proof is used by (the authenticated client, or the access token's `client_id`). */
  readonly clientId: string;
  /** Seconds a proof's `iat` may lie in the past. */
  readonly maxAgeSeconds: number;
  /** Seconds a proof's `iat` may lie in the future (clock skew); 10 in this lab. */
  readonly allowedFutureSeconds: number;
  /** Present when the server requires its own nonces in proofs (RFC 9449 §8). */
  readonly nonces?: DpopNonceSource;
  readonly context: DpopContext;
}

export interface DpopProofResult {
  /** RFC 7638 SHA-256 thumbprint of the proof key: what `cnf.jkt` / `dpop_jkt` hold. */
  readonly jkt: string;
  readonly jwk: JWK;
  readonly header: ProtectedHeaderParameters;
  readonly payload: DpopProofClaims;
  /** The proof as received (for the lab's decoded-JWT view). */
  readonly proof: string;
}

/**
 * Verifies the DPoP proof of a request (RFC 9449 §4.3). Returns undefined when the request has no DPoP
 * header — the caller decides whether one was required; otherwise the proof's key and claims, or throws
 * the OAuthError of the first check that fails. Runs on every token and resource request, so each step
 * is done once: one decode, one key import, one thumbprint.
 */
export function verifyDpopProof(input: DpopProofInput): DpopProofResult | undefined {
  const { dpopHeader, context, allowedAlgs } = input;
  if (dpopHeader === undefined || (Array.isArray(dpopHeader) && dpopHeader.length === 0)) return undefined;
  const fail = (description: string) => dpopProofError(context, description, allowedAlgs);
  const failNonce = (description: string, nonce: string) =>
    dpopNonceError(context, description, nonce, allowedAlgs);

  const proof = checkDpopSingleHeader(dpopHeader, fail);
  const decoded = checkDpopWellFormed(proof, fail);
  const { header, payload } = decoded;
  const claims = checkDpopRequiredClaims(payload, fail);
  checkDpopTyp(header, fail);
  const alg = checkDpopAlg(header, allowedAlgs, fail);
  // (7) before (6): a key is looked at before it is imported.
  const jwk = checkDpopJwkPublic(header, fail);
  checkDpopSignature(decoded, jwk, alg, fail);
  // The key's RFC 7638 thumbprint: its name in the lab, and the jkt a token is bound to (RFC 9449 §6.1).
  const jkt = jwkThumbprintSync(jwk);
  witnessSignature(proof, () => signatureKeyNames.embeddedJwk(jkt));
  checkDpopHtm(claims.htm, input.method, fail);
  checkDpopHtu(claims.htu, input.url, fail);
  checkDpopNonce(claims.nonce, input.nonces, failNonce);
  const now = epochSeconds(input.clock);
  checkDpopIat(claims.iat, now, input, fail);
  checkDpopNotBefore(claims.nbf, now, input.allowedFutureSeconds, fail);
  checkDpopAth(claims.ath, context === 'resource' ? input.accessToken : undefined, fail);
  checkDpopJkt(jkt, input.expectedJkt, fail);
  // Last, so that a proof refused for another reason does not use up its jti.
  const acceptedUntil = claims.iat + input.maxAgeSeconds + input.allowedFutureSeconds;
  checkDpopJtiUnique(
    input.replayCache,
    { jkt, jti: claims.jti, expiresAt: acceptedUntil * 1000, clientId: input.clientId },
    fail,
  );

  return { jkt, jwk, header, payload: claims, proof };
}
