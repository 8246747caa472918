export { verifyDpopProof, type DpopProofInput, type DpopProofResult } from './verify-dpop-proof';
export { createDpopNonceSource, type DpopNonceSource } from './dpop-nonce-source';
export { dpopWwwAuthenticate } from './dpop-www-authenticate';
export { dpopProofError, dpopNonceError, type DpopContext } from './dpop-proof-error';
export { parseAuthorizationHeader, type PresentedAccessToken } from './parse-authorization-header';
export { normalizeHtu } from './normalize-htu';
export * from './dpop-check-specs';
