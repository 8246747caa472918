import type { JWTPayload, ProtectedHeaderParameters } from 'jose';
import { decodeCompactJwt, type DecodedCompactJws } from './compact-jws';

/** A JWT decodeCompactJwt accepted, typed for the checks that read its header and claims. */
export interface WellFormedJwt extends DecodedCompactJws {
  readonly header: ProtectedHeaderParameters;
  readonly payload: JWTPayload;
}

/**
 * `value` decoded when it is a well-formed JWT (RFC 7519 §7.2 steps 1–10), undefined otherwise: for the
 * well-formedness checks of client assertions and DPoP proofs, which refuse it with their own error.
 * The result goes to verifyCompactJwsSync as it is.
 */
export function decodeWellFormedJwt(value: unknown): WellFormedJwt | undefined {
  try {
    const { header, payload, parts } = decodeCompactJwt(value);
    return { header: header as ProtectedHeaderParameters, payload: payload as JWTPayload, parts };
  } catch {
    return undefined;
  }
}
