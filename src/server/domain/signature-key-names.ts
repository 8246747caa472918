/**
 * How the lab's inspector names the key a JWS verifies with, whoever verified it: the provider while
 * handling the request (check.ts, witnessSignature) or the inspector itself (lab/jwt-decoder.ts).
 */
export const signatureKeyNames = {
  /** The provider's own key (its tokens: access tokens, ID tokens). */
  server: (kid: string): string => `server kid ${kid}`,
  /** A key the client registered (RFC 7523 client assertions). */
  client: (clientId: string, kid: string | undefined): string =>
    `client ${clientId}${kid ? ` kid ${kid}` : ''}`,
  /** The key in the JWS's own `jwk` header (RFC 9449 DPoP proofs), by its RFC 7638 thumbprint. */
  embeddedJwk: (thumbprint: string): string => `embedded jwk ${thumbprint}`,
};
