import { ensure, type ClientCheckLog } from './client-check';
import { OAuthResponseError } from './errors';
import { HttpClient, parseJsonObject, type SendRequest } from './http';

/** The provider metadata the demo client uses (OpenID Connect Discovery 1.0 §3, RFC 8414 §2, RFC 9126 §5). */
export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
  pushed_authorization_request_endpoint?: string;
  require_pushed_authorization_requests?: boolean;
  introspection_endpoint?: string;
  revocation_endpoint?: string;
  end_session_endpoint?: string;
  authorization_response_iss_parameter_supported?: boolean;
  code_challenge_methods_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  dpop_signing_alg_values_supported?: string[];
  id_token_signing_alg_values_supported?: string[];
  [name: string]: unknown;
}

/** OpenID Connect Discovery 1.0 §4: the configuration lives under the issuer's path. */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
}

const issuerMatches = {
  id: 'discovery.issuer',
  description: 'the issuer in the configuration equals the issuer it was fetched for, exactly',
  ref: 'OpenID Connect Discovery 1.0 §4.3',
};

/** Fetches the provider configuration and holds it to the issuer it was asked for. */
export async function discover(
  issuer: string,
  options: { http?: HttpClient; checks?: ClientCheckLog; collect?: SendRequest['collect'] } = {},
): Promise<ProviderMetadata> {
  const http = options.http ?? new HttpClient();
  const response = await http.send({
    label: 'discovery',
    url: discoveryUrl(issuer),
    collect: options.collect,
  });
  if (response.status !== 200) {
    throw new OAuthResponseError('discovery_failed', `status ${response.status}`, response.status);
  }
  const metadata = parseJsonObject<ProviderMetadata>(response);
  ensure(options.checks, issuerMatches, metadata.issuer === issuer, () => `got ${String(metadata.issuer)}`);
  return metadata;
}
