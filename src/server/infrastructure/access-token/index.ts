export {
  verifyAccessToken,
  identifyIssuedAccessTokenSync,
  identifyIssuedIdTokenSync,
  accessTokenChecks,
  type AccessTokenClaims,
} from './verify-access-token';
export {
  verifyProtectedResourceRequest,
  protectedResourceChecks,
  type ProtectedResourceOptions,
  type ProtectedResourceRequest,
} from './verify-protected-resource-request';
