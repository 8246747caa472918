export {
  authenticateClient,
  type ClientAuthentication,
  type ClientAuthenticationContext,
} from './authenticate-client';
export type { ClientAuthenticationMethod, ClientAuthenticationRequest } from './presented-credentials';
export { JWT_BEARER_ASSERTION_TYPE, type DecodedAssertion } from './client-assertion-checks';
export * from './client-auth-check-specs';
