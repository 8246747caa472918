import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { demoConfigObject, labConfig } from './lab-server';

export interface FapiTestClient {
  readonly clientId: string;
  readonly privateKey: CryptoKey;
  readonly kid: string;
  readonly alg: 'ES256' | 'PS256';
}

/**
 * The demo configuration with a fapi2 client whose key pair the test made itself and registered by
 * its public JWK — as a third party would register with a production provider.
 */
export async function fapiConfig(
  alg: 'ES256' | 'PS256' = 'ES256',
  server: Record<string, unknown> = {},
): Promise<{ config: ReturnType<typeof labConfig>; client: FapiTestClient }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `test-${alg.toLowerCase()}`;
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  const base = demoConfigObject();
  const config = labConfig({
    ...base,
    server: { ...(base.server as object), require_pushed_authorization_requests: true, ...server },
    clients: [
      ...(base.clients as object[]),
      {
        client_id: 'third-party-fapi',
        client_name: 'Third-party FAPI 2.0 client',
        // FAPI 2.0 SP §5.3.2.2: its http loopback redirect URI is a native client's.
        application_type: 'native',
        redirect_uris: ['https://rp.example.com/cb', 'http://127.0.0.1/cb'],
        post_logout_redirect_uris: ['https://rp.example.com/logged-out'],
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
        scope: 'openid profile email offline_access accounts',
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: alg,
        id_token_signed_response_alg: alg,
        require_pushed_authorization_requests: true,
        dpop_bound_access_tokens: true,
        profile: 'fapi2',
        jwks: { keys: [publicJwk] },
      },
    ],
  });
  return { config, client: { clientId: 'third-party-fapi', privateKey, kid, alg } };
}
