import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type JSONWebKeySet,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MustsLab } from '../../support/musts-helpers';

const FAPI_CLIENT_ID = 'fapi2-no-id-token-alg';
const FAPI_REDIRECT = 'https://rp-no-alg.example.com/cb';
const OIDC_CLIENT_ID = 'oidc-no-id-token-alg';
const OIDC_SECRET = 'oidc-no-id-token-alg-secret';
const OIDC_REDIRECT = 'https://rp-oidc-no-alg.example.com/cb';

/**
 * FAPI 2.0 SP §5.4.1 and OpenID Connect Registration §2: a client that registers no
 * `id_token_signed_response_alg` gets the profile's default — PS256 under fapi2 (RS256 is not allowed
 * there), RS256 (the OIDC default) under oidc — signed by a key the JWKS publishes, named by `kid`.
 */
describe('MUST: the ID token algorithm when the client registers none', () => {
  let lab: MustsLab;
  let jwks: JSONWebKeySet;
  let fapiKey: CryptoKey;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    fapiKey = privateKey;
    lab = await MustsLab.start({
      extraClients: [
        {
          client_id: FAPI_CLIENT_ID,
          redirect_uris: [FAPI_REDIRECT],
          grant_types: ['authorization_code'],
          scope: 'openid',
          token_endpoint_auth_method: 'private_key_jwt',
          token_endpoint_auth_signing_alg: 'ES256',
          dpop_bound_access_tokens: true,
          profile: 'fapi2',
          jwks: {
            keys: [{ ...(await exportJWK(publicKey)), kid: 'no-alg-es256', alg: 'ES256', use: 'sig' }],
          },
        },
        {
          client_id: OIDC_CLIENT_ID,
          client_secret: OIDC_SECRET,
          redirect_uris: [OIDC_REDIRECT],
          grant_types: ['authorization_code'],
          scope: 'openid',
          token_endpoint_auth_method: 'client_secret_post',
          profile: 'oidc',
        },
      ],
    });
    jwks = (await lab.get('/jwks')).json as unknown as JSONWebKeySet;
  });
  afterAll(() => lab?.close());

  /** Client authentication of the fapi2 client: a fresh assertion each call (its jti is single use). */
  const fapiAuth = () =>
    lab.clientAuth({ clientId: FAPI_CLIENT_ID, key: fapiKey, alg: 'ES256', kid: 'no-alg-es256' });
  const oidcAuth = async () => ({ client_id: OIDC_CLIENT_ID, client_secret: OIDC_SECRET });

  /** PAR → login → code → token request; returns the ID token. */
  const idTokenOf = async (
    clientId: string,
    redirectUri: string,
    auth: () => Promise<Record<string, string>>,
    tokenHeaders: Record<string, string> = {},
  ): Promise<string> => {
    const { code, code_verifier } = await lab.parCode({
      clientId,
      redirectUri,
      auth: await auth(),
      scope: 'openid',
      nonce: 'n-0S6_WzA2Mj',
    });
    const response = await lab.post(
      '/token',
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier,
        ...(await auth()),
      },
      tokenHeaders,
    );
    expect(response.status, response.text).toBe(200);
    expect(response.json?.id_token, response.text).toEqual(expect.any(String));
    return response.json?.id_token as string;
  };

  it('FAPI 2.0 SP §5.4.1: a fapi2 client with no id_token_signed_response_alg gets PS256, with a kid the JWKS publishes', async () => {
    const idToken = await idTokenOf(FAPI_CLIENT_ID, FAPI_REDIRECT, fapiAuth, {
      DPoP: await lab.proof(await lab.dpopKey(), 'POST', '/token'),
    });
    const header = decodeProtectedHeader(idToken);
    expect(header.alg).toBe('PS256');
    expect(header.kid).toEqual(expect.any(String));
    const published = jwks.keys.find((k) => k.kid === header.kid);
    expect(published, `kid ${header.kid} in the JWKS`).toBeDefined();
    expect(published?.kty).toBe('RSA');
    await jwtVerify(idToken, createLocalJWKSet(jwks), {
      issuer: lab.issuer,
      audience: FAPI_CLIENT_ID,
      algorithms: ['PS256'],
      currentDate: new Date(lab.clock.now()),
    });
  });

  it('OpenID Connect Registration §2: an oidc client with no id_token_signed_response_alg gets RS256, with a kid the JWKS publishes', async () => {
    const idToken = await idTokenOf(OIDC_CLIENT_ID, OIDC_REDIRECT, oidcAuth);
    const header = decodeProtectedHeader(idToken);
    expect(header.alg).toBe('RS256');
    expect(header.kid).toEqual(expect.any(String));
    expect(jwks.keys.some((k) => k.kid === header.kid)).toBe(true);
    await jwtVerify(idToken, createLocalJWKSet(jwks), {
      issuer: lab.issuer,
      audience: OIDC_CLIENT_ID,
      algorithms: ['RS256'],
      currentDate: new Date(lab.clock.now()),
    });
  });
});
