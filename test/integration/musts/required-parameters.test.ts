import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MustsLab, expectOAuthError } from '../../support/musts-helpers';

const MACHINE = 'machine-only';
const MACHINE_SECRET = 'machine-only-secret-0000001';
const MACHINE_REDIRECT = 'https://machine.example.com/cb';

/**
 * Requests that leave out what their endpoint requires, or ask for what the client or the token was
 * not given: each refused with the error its spec names, and nothing issued.
 */
describe('MUST: required parameters, registered grants and granted scopes', () => {
  let lab: MustsLab;

  beforeAll(async () => {
    lab = await MustsLab.start({
      extraClients: [
        {
          // A redirect URI, but no authorization_code grant: it may not start an authorization.
          client_id: MACHINE,
          client_secret: MACHINE_SECRET,
          redirect_uris: [MACHINE_REDIRECT],
          grant_types: ['client_credentials'],
          scope: 'accounts',
          token_endpoint_auth_method: 'client_secret_post',
          profile: 'oidc',
        },
      ],
    });
  });
  afterAll(() => lab?.close());

  const tokenRequest = async (params: Record<string, string>) =>
    lab.post(
      '/token',
      { ...params, ...(await lab.clientAuth()) },
      {
        DPoP: await lab.proof(await lab.dpopKey(), 'POST', '/token'),
      },
    );

  it('RFC 6749 §4.1.3: authorization_code without code is invalid_request', async () => {
    const response = await tokenRequest({ grant_type: 'authorization_code', code_verifier: 'x'.repeat(43) });
    expectOAuthError(response, 400, 'invalid_request');
    expect(response.json?.error_description).toMatch(/code/);
  });

  it('RFC 6749 §6: refresh_token without the refresh token is invalid_request', async () => {
    const response = await tokenRequest({ grant_type: 'refresh_token' });
    expectOAuthError(response, 400, 'invalid_request');
    expect(response.json?.error_description).toMatch(/refresh_token/);
  });

  it('RFC 7662 §2.1 and RFC 7009 §2.1: introspection and revocation without token are invalid_request', async () => {
    for (const path of ['/introspect', '/revoke']) {
      const response = await lab.post(path, { ...(await lab.clientAuth()) });
      expectOAuthError(response, 400, 'invalid_request');
    }
  });

  it('RFC 6749 §4.4.2, §5.2: client_credentials for a scope the client may not have is invalid_scope', async () => {
    // openid is a user's scope: never granted to a client for itself, though the client registered it.
    for (const scope of ['openid', 'accounts openid', 'email']) {
      const response = await tokenRequest({ grant_type: 'client_credentials', scope });
      expectOAuthError(response, 400, 'invalid_scope');
      expect(response.json).not.toHaveProperty('access_token');
    }
  });

  it('RFC 6749 §4.1.2.1: a client not registered for the code grant gets unauthorized_client at PAR', async () => {
    const response = await lab.post('/par', {
      client_id: MACHINE,
      client_secret: MACHINE_SECRET,
      response_type: 'code',
      redirect_uri: MACHINE_REDIRECT,
      scope: 'accounts',
      state: 'state-of-the-machine',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    expectOAuthError(response, 400, 'unauthorized_client');
    expect(response.json).not.toHaveProperty('request_uri');
  });

  it('RFC 9449 §7.1: a token that is not DPoP-bound, presented with the DPoP scheme, is invalid_token', async () => {
    const bearer = (await lab.standardTokens('openid')).access_token as string;
    const dpopKey = await lab.dpopKey();
    for (const path of ['/userinfo', '/api/accounts']) {
      const proof = await lab.proof(dpopKey, 'GET', path, { accessToken: bearer });
      const response = await lab.get(path, { Authorization: `DPoP ${bearer}`, DPoP: proof });
      expectOAuthError(response, 401, 'invalid_token');
    }
  });

  it('RFC 6750 §3.1: the demo API refuses a token without the accounts scope (403 insufficient_scope)', async () => {
    const tokens = await lab.fapiTokens({ scope: 'openid' });
    const response = await lab.resource('/api/accounts', tokens.access_token, tokens.dpopKey);
    expectOAuthError(response, 403, 'insufficient_scope');
    expect(response.headers.get('www-authenticate')).toMatch(
      /^DPoP error="insufficient_scope", scope="accounts"/,
    );
  });
});
