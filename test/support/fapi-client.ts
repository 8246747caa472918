import { exportJWK, generateKeyPair, type JWK } from 'jose';
import * as oidc from 'openid-client';
import { loginHeadless } from '../../src/client';
import type { RunningServer } from '../../src/server';
import { demoConfigObject, labConfig, startLabServer } from './lab-server';

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

/**
 * A lab on `fapiConfig(alg, server)`, and openid-client configured by its discovery document as the
 * third-party client.
 */
export async function startFapiLab(
  alg: 'ES256' | 'PS256' = 'ES256',
  server: Record<string, unknown> = {},
): Promise<{ server: RunningServer; client: FapiTestClient; config: oidc.Configuration }> {
  const setup = await fapiConfig(alg, server);
  const running = await startLabServer(setup.config);
  try {
    return { server: running, client: setup.client, config: await discoverAs(setup.client, running.issuer) };
  } catch (e) {
    await running.close();
    throw e;
  }
}

/** openid-client, configured by the discovery document of `issuer`, as `client` (private_key_jwt). */
export function discoverAs(client: FapiTestClient, issuer: string): Promise<oidc.Configuration> {
  return oidc.discovery(
    new URL(issuer),
    client.clientId,
    { id_token_signed_response_alg: client.alg, token_endpoint_auth_signing_alg: client.alg },
    oidc.PrivateKeyJwt({ key: client.privateKey, kid: client.kid }),
    { execute: [oidc.allowInsecureRequests] },
  );
}

/**
 * The FAPI 2.0 code flow as openid-client runs it: PAR with PKCE (and `nonce` when given), bob's
 * login and consent in a headless browser, then the code grant, every request with `dpop`.
 */
export async function fapiCodeFlow(
  config: oidc.Configuration,
  dpop: oidc.DPoPHandle,
  { redirectUri, scope, nonce }: { redirectUri: string; scope: string; nonce?: string },
): Promise<{
  authorizationUrl: URL;
  callback: string;
  tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
}> {
  const code_verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const authorizationUrl = await oidc.buildAuthorizationUrlWithPAR(
    config,
    {
      redirect_uri: redirectUri,
      scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(code_verifier),
      code_challenge_method: 'S256',
      state,
      ...(nonce === undefined ? {} : { nonce }),
    },
    { DPoP: dpop },
  );
  const callback = await loginHeadless(authorizationUrl.href, {
    username: 'bob',
    password: 'builder',
    consent: 'allow',
    redirectUri,
  });
  const tokens = await oidc.authorizationCodeGrant(
    config,
    new URL(callback),
    { pkceCodeVerifier: code_verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true },
    undefined,
    { DPoP: dpop },
  );
  return { authorizationUrl, callback, tokens };
}

/** GET `origin`/api/accounts, the demo resource server, with a DPoP-bound access token. */
export function fetchAccounts(
  config: oidc.Configuration,
  accessToken: string,
  origin: string,
  dpop: oidc.DPoPHandle,
): Promise<Response> {
  return oidc.fetchProtectedResource(
    config,
    accessToken,
    new URL(`${origin}/api/accounts`),
    'GET',
    undefined,
    undefined,
    { DPoP: dpop },
  );
}
