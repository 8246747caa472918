import type { CheckSpec } from '../../domain/check';

/** The checks of a DPoP proof, in the order RFC 9449 §4.3 lists them; ids are stable (the lab shows them). */

const check = (id: string, description: string, ref: string): CheckSpec => ({ id, description, ref });

export const dpopSingleHeader = check('dpop.single_header', 'Exactly one DPoP header', 'RFC 9449 §4.3 (1)');
export const dpopWellFormed = check(
  'dpop.well_formed',
  'The DPoP header is a single well-formed JWT',
  'RFC 9449 §4.3 (2)',
);
export const dpopRequiredClaims = check(
  'dpop.required_claims',
  'The proof carries jti, htm, htu and iat',
  'RFC 9449 §4.3 (3), §4.2',
);
export const dpopTyp = check('dpop.typ', 'The proof header typ is dpop+jwt', 'RFC 9449 §4.3 (4)');
export const dpopAlg = check(
  'dpop.alg',
  'The proof alg is asymmetric, not none, and one the server accepts',
  'RFC 9449 §4.3 (5), FAPI 2.0 SP §5.4.1',
);
export const dpopJwkPublic = check(
  'dpop.jwk_public',
  'The header jwk is a public key, written in base64url, with no private members, of sufficient strength',
  'RFC 9449 §4.3 (7), FAPI 2.0 SP §5.4.1',
);
export const dpopSignature = check(
  'dpop.signature',
  'The proof signature verifies with the header jwk',
  'RFC 9449 §4.3 (6)',
);
export const dpopHtm = check('dpop.htm', 'htm is the method of the request', 'RFC 9449 §4.3 (8)');
export const dpopHtu = check(
  'dpop.htu',
  'htu is the request URI, without query and fragment, after normalisation',
  'RFC 9449 §4.3 (9), RFC 3986 §6.2.2, §6.2.3',
);
export const dpopNonce = check(
  'dpop.nonce',
  'nonce is a current server-provided nonce',
  'RFC 9449 §4.3 (10), §8',
);
export const dpopIat = check(
  'dpop.iat',
  'iat lies within the accepted window (not too old, not too far in the future)',
  'RFC 9449 §4.3 (11), §11.1',
);
export const dpopNbf = check(
  'dpop.nbf',
  'A proof that names a time before which it is not valid (nbf) is not used earlier (10 s of clock skew)',
  'RFC 7519 §4.1.5; FAPI 2.0 SP §5.3.2.1 (clock skew)',
);
export const dpopAth = check('dpop.ath', 'ath is base64url(SHA-256(access token))', 'RFC 9449 §4.3 (12), §7');
export const dpopJkt = check(
  'dpop.jkt',
  'The proof key thumbprint equals the key the token or code is bound to',
  'RFC 9449 §4.3 (12), §6.1, §10',
);
export const dpopJtiUnique = check(
  'dpop.jti_unique',
  'The proof jti has not been seen before',
  'RFC 9449 §11.1',
);
