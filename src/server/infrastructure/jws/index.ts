export {
  JWS_ALGS,
  JwsError,
  JwsSignatureError,
  decodeBase64urlStrict,
  decodeCompactJwsHeader,
  decodeCompactJwt,
  isJwsAlg,
  keyObjectOf,
  signCompactJwsSync,
  verifyCompactJwsSync,
  type DecodedCompactJws,
  type JwsAlg,
  type VerifiedJws,
} from './compact-jws';
export { importPublicJwk } from './import-public-jwk';
export { jwkThumbprintSync } from './jwk-thumbprint';
export {
  MIN_RSA_MODULUS_BITS,
  nonCanonicalKeyMember,
  rsaKeyTooLarge,
  rsaModulusBits,
} from './jwk-key-members';
export { decodeWellFormedJwt, type WellFormedJwt } from './well-formed-jwt';
