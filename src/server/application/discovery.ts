import { dpopAlgorithms } from '../domain/fapi-policy';
import { SUPPORTED_SCOPES, SCOPE_CLAIMS } from '../domain/scope';
import type { ProviderContext } from './provider-context';

/**
 * The provider's metadata (OpenID Connect Discovery 1.0 §3, RFC 8414 §2, RFC 9126 §5, RFC 9449 §5.1,
 * RFC 9207 §3). It advertises exactly what the endpoints enforce (a test compares the two).
 */
export function providerMetadata(ctx: ProviderContext): Record<string, unknown> {
  const { endpoints } = ctx;
  const authMethods = ['private_key_jwt', 'client_secret_basic', 'client_secret_post'];
  // Public clients (token_endpoint_auth_method none) may use the token endpoint, not introspection
  // or revocation (RFC 7662 §2.1 and RFC 7009 §2.1 require client authentication).
  const tokenAuthMethods = [...authMethods, 'none'];
  const clientAuthAlgs = ['PS256', 'ES256', 'EdDSA', 'RS256'];
  return {
    issuer: ctx.issuer,
    authorization_endpoint: endpoints.authorization,
    token_endpoint: endpoints.token,
    pushed_authorization_request_endpoint: endpoints.pushedAuthorizationRequest,
    userinfo_endpoint: endpoints.userinfo,
    introspection_endpoint: endpoints.introspection,
    revocation_endpoint: endpoints.revocation,
    end_session_endpoint: endpoints.endSession,
    jwks_uri: endpoints.jwks,
    scopes_supported: SUPPORTED_SCOPES,
    claims_supported: ['sub', 'iss', 'auth_time', 'amr', ...Object.values(SCOPE_CLAIMS).flat()],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    subject_types_supported: ['public'],
    // OpenID Connect Discovery §3 requires RS256 here; fapi2 clients get PS256 or ES256 (FAPI 2.0 SP §5.4.1).
    id_token_signing_alg_values_supported: ['PS256', 'ES256', 'RS256'],
    token_endpoint_auth_methods_supported: tokenAuthMethods,
    token_endpoint_auth_signing_alg_values_supported: clientAuthAlgs,
    introspection_endpoint_auth_methods_supported: authMethods,
    introspection_endpoint_auth_signing_alg_values_supported: clientAuthAlgs,
    revocation_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_signing_alg_values_supported: clientAuthAlgs,
    code_challenge_methods_supported: ['S256'],
    require_pushed_authorization_requests: ctx.settings.require_pushed_authorization_requests,
    authorization_response_iss_parameter_supported: true,
    dpop_signing_alg_values_supported: [...dpopAlgorithms],
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    ui_locales_supported: ['en', 'fr'],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    tls_client_certificate_bound_access_tokens: false,
    frontchannel_logout_supported: false,
    backchannel_logout_supported: false,
  };
}
