/**
 * The demo relying party as an isomorphic library: fetch, WebCrypto and jose only, so that the
 * renderer (browser), the CLI scenario runner and the benchmark (Node) share it.
 */
export { base64urlDecode, base64urlEncode, sha256Base64url } from './base64url';
export { generateJti, generateNonce, generateState, randomToken } from './random';
export { codeChallengeMethod, codeChallengeS256, generateCodeVerifier } from './pkce';
export { ClientClock } from './clock';
export { formatTraceparent, generateSpanId, generateTraceId, parseTraceparent } from './traceparent';
export {
  accessTokenHash,
  createDpopProof,
  generateDpopKeyPair,
  htuOf,
  jwkThumbprint,
  publicJwkOf,
  type DpopAlg,
  type DpopKeyPair,
  type DpopProofOptions,
} from './dpop';
export { clientAssertionType, createClientAssertion, type ClientAssertionOptions } from './client-assertion';
export { signCompactJws, type SigningAlg } from './jws-sign';
export type { ClaimOverrides } from './overrides';
export {
  applyClientAuthentication,
  basicCredentials,
  type ClientAuthentication,
  type TokenEndpointAuthMethod,
} from './client-authentication';
export { discover, discoveryUrl, type ProviderMetadata } from './discovery';
export {
  HttpClient,
  headersToRecord,
  isUseDpopNonce,
  parseJsonObject,
  type ClientResponse,
  type FetchLike,
  type HttpClientOptions,
  type PreparedRequest,
  type PresendHook,
  type SendRequest,
} from './http';
export { ClientCheckError, ClientProtocolError, OAuthResponseError } from './errors';
export type { ClientCheckLog, ClientCheckResult, ClientCheckSpec } from './client-check';
export { parseAuthorizationResponse, type AuthorizationResponse } from './authorization-response';
export { FAPI_SIGNING_ALGS } from './fapi-algorithms';
export { validateIdToken, type IdTokenExpectations, type ValidatedIdToken } from './id-token';
export { parseTokenResponse, throwIfErrorResponse, type TokenSet } from './token-response';
export {
  DemoClient,
  type CallbackResult,
  type ClientMode,
  type DemoClientConfig,
  type DiscoveryResult,
  type FlowState,
  type IntrospectionResult,
  type ParResult,
  type ResourceResult,
  type StepResult,
  type TokenResult,
} from './flow';
export { runStandardFlow, type FlowOutcome, type UserAgent } from './flow-standard';
export { runFapiFlow, runFlow } from './flow-fapi';
export { HeadlessLoginError, loginHeadless, type HeadlessLoginOptions } from './headless-login';
export {
  decodeHtmlEntities,
  formSubmission,
  parseAttributes,
  parseForms,
  type FormSubmission,
  type HtmlForm,
} from './html-form';
export { CookieJar } from './cookie-jar';
export {
  decodeJwt,
  tryDecodeJwt,
  verifyWithJwks,
  type DecodedJwt,
  type JwksVerification,
} from './jwt-inspect';
