export {
  JWS_ALGS,
  JwsError,
  decodeBase64urlStrict,
  decodeCompactJwsHeader,
  decodeCompactJwt,
  keyObjectOf,
  signCompactJwsSync,
  verifyCompactJwsSync,
  type JwsAlg,
  type VerifiedJws,
} from './compact-jws';
export { jwkThumbprintSync } from './jwk-thumbprint';
