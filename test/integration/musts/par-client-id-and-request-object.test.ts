import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MustsLab, STANDARD_CLIENT_ID, expectOAuthError } from '../../support/musts-helpers';

const BASIC_CLIENT = 'basic-secret-client';
const BASIC_SECRET = 'basic-secret-client-secret-value';
const BASIC_REDIRECT = 'http://127.0.0.1/basic-cb';

/**
 * The PAR endpoint and the parameters it must refuse: a client_id naming another client than the one
 * authenticated (RFC 9126 §2.1, RFC 6749 §2.3.1, RFC 7521 §4.2), a request object, which this provider
 * does not support (OpenID Connect Core §6.1, §3.1.2.6 request_not_supported; FAPI 2.0 SP §5.4.1).
 */
describe('MUST: PAR refuses a foreign client_id and request objects', () => {
  let lab: MustsLab;

  beforeAll(async () => {
    lab = await MustsLab.start({
      extraClients: [
        {
          client_id: BASIC_CLIENT,
          client_name: 'Client authenticating with client_secret_basic',
          client_secret: BASIC_SECRET,
          redirect_uris: [BASIC_REDIRECT],
          grant_types: ['authorization_code'],
          scope: 'openid',
          token_endpoint_auth_method: 'client_secret_basic',
          profile: 'oidc',
        },
      ],
    });
  });
  afterAll(() => lab?.close());

  it('RFC 9126 §2.1: a private_key_jwt PAR request whose client_id names another client is refused (401 invalid_client)', async () => {
    const { params } = await lab.fapiParams();
    // The assertion (iss = sub = the fapi2 client) is valid: with its own client_id the request passes.
    const own = await lab.par(params);
    expect(own.status, own.text).toBe(201);
    // Another private_key_jwt client, the secret-based demo client, a client that does not exist.
    for (const client_id of ['demo-fapi', STANDARD_CLIENT_ID, 'no-such-client']) {
      const response = await lab.post('/par', { ...params, ...(await lab.clientAuth()), client_id });
      expectOAuthError(response, 401, 'invalid_client');
      expect(response.json).not.toHaveProperty('request_uri');
    }
  });

  it('RFC 9126 §2.1, RFC 6749 §2.3.1: a client_secret_basic PAR request whose client_id names another client is refused (401 invalid_client)', async () => {
    const basic = `Basic ${Buffer.from(`${BASIC_CLIENT}:${BASIC_SECRET}`).toString('base64')}`;
    const { params } = await lab.fapiParams({
      client_id: undefined,
      redirect_uri: BASIC_REDIRECT,
      scope: 'openid',
    });
    const own = await lab.post('/par', { ...params, client_id: BASIC_CLIENT }, { Authorization: basic });
    expect(own.status, own.text).toBe(201);
    for (const client_id of [STANDARD_CLIENT_ID, lab.fapi.clientId]) {
      const response = await lab.post('/par', { ...params, client_id }, { Authorization: basic });
      expectOAuthError(response, 401, 'invalid_client');
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect(response.json).not.toHaveProperty('request_uri');
    }
  });

  it('OIDC Core §6.1, FAPI 2.0 SP §5.4.1: a request object (request=) sent to PAR is refused (400 request_not_supported)', async () => {
    const { params } = await lab.fapiParams({ request: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' });
    const response = await lab.par(params);
    expectOAuthError(response, 400, 'request_not_supported');
    expect(response.json).not.toHaveProperty('request_uri');
  });

  it('OIDC Core §6.1: a request object is refused at PAR for the standard client too (400 request_not_supported)', async () => {
    const { params } = await lab.fapiParams({
      client_id: undefined,
      redirect_uri: 'http://127.0.0.1:53000/callback',
      scope: 'openid',
      request: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
    });
    const response = await lab.post('/par', { ...params, ...lab.standardAuth() });
    expectOAuthError(response, 400, 'request_not_supported');
  });
});
