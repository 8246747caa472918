import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAssertionType, createClientAssertion, generateJti } from '../../../src/client';
import { MustsLab, expectOAuthError } from '../../support/musts-helpers';

/**
 * private_key_jwt under fapi2 (RFC 7523 §3, FAPI 2.0 SP §5.3.2.1, §5.4.1): every failure is
 * 401 invalid_client. Exercised with client_credentials so that only client authentication decides.
 */
describe('MUST: client authentication (RFC 7523, FAPI 2.0)', () => {
  let lab: MustsLab;

  beforeAll(async () => {
    lab = await MustsLab.start();
  });
  afterAll(() => lab?.close());

  /** A client_credentials request authenticated by `assertion`, with a valid DPoP proof. */
  const tokenWith = async (assertion: string, extra: Record<string, string> = {}) =>
    lab.post(
      '/token',
      {
        grant_type: 'client_credentials',
        scope: 'accounts',
        client_assertion_type: clientAssertionType,
        client_assertion: assertion,
        ...extra,
      },
      { DPoP: await lab.proof(await lab.dpopKey(), 'POST', '/token') },
    );

  it('a valid assertion is accepted (the baseline every negative test departs from)', async () => {
    const response = await tokenWith(await lab.assertion());
    expect(response.status, response.text).toBe(200);
    expect(response.json?.token_type).toBe('DPoP');
  });

  it('aud as an array (even holding the issuer) is refused', async () => {
    const assertion = await lab.assertion({ payloadOverrides: { aud: [lab.issuer] } });
    expectOAuthError(await tokenWith(assertion), 401, 'invalid_client');
  });

  it('aud = the token endpoint URL is refused under fapi2', async () => {
    expectOAuthError(
      await tokenWith(await lab.assertion({ audience: lab.url('/token') })),
      401,
      'invalid_client',
    );
  });

  it('aud = the PAR endpoint URL is refused at PAR under fapi2', async () => {
    const { params } = await lab.fapiParams();
    const response = await lab.post('/par', {
      ...params,
      client_assertion_type: clientAssertionType,
      client_assertion: await lab.assertion({ audience: lab.url('/par') }),
    });
    expectOAuthError(response, 401, 'invalid_client');
  });

  it('an expired assertion is refused; a missing exp too', async () => {
    const expired = await lab.assertion({ now: lab.clock.seconds() - 120, lifetimeSeconds: 60 });
    expectOAuthError(await tokenWith(expired), 401, 'invalid_client');
    const noExp = await lab.assertion({ payloadOverrides: { exp: undefined } });
    expectOAuthError(await tokenWith(noExp), 401, 'invalid_client');
  });

  it('nbf 61 s in the future is refused; nbf 10 s in the future is accepted', async () => {
    const now = lab.clock.seconds();
    const far = await lab.assertion({ payloadOverrides: { nbf: now + 61, exp: now + 120 } });
    expectOAuthError(await tokenWith(far), 401, 'invalid_client');
    const near = await lab.assertion({ payloadOverrides: { nbf: now + 10, exp: now + 120 } });
    const response = await tokenWith(near);
    expect(response.status, response.text).toBe(200);
  });

  it('iat 61 s in the future is refused; iat 10 s in the future is accepted', async () => {
    const now = lab.clock.seconds();
    const far = await lab.assertion({ payloadOverrides: { iat: now + 61, exp: now + 120 } });
    expectOAuthError(await tokenWith(far), 401, 'invalid_client');
    const near = await lab.assertion({ payloadOverrides: { iat: now + 10, exp: now + 120 } });
    const response = await tokenWith(near);
    expect(response.status, response.text).toBe(200);
  });

  it('a reused jti is refused (replay)', async () => {
    const jti = generateJti();
    const first = await tokenWith(await lab.assertion({ jti }));
    expect(first.status, first.text).toBe(200);
    expectOAuthError(await tokenWith(await lab.assertion({ jti })), 401, 'invalid_client');
  });

  it('the very same assertion sent twice is refused the second time', async () => {
    const assertion = await lab.assertion();
    expect((await tokenWith(assertion)).status).toBe(200);
    expectOAuthError(await tokenWith(assertion), 401, 'invalid_client');
  });

  it('an unknown kid, or a key the client never registered, is refused', async () => {
    expectOAuthError(await tokenWith(await lab.assertion({ kid: 'no-such-kid' })), 401, 'invalid_client');
    const stranger = await generateKeyPair('ES256');
    const signedByStranger = await lab.assertion({ key: stranger.privateKey });
    expectOAuthError(await tokenWith(signedByStranger), 401, 'invalid_client');
    const noKid = await lab.assertion({ key: stranger.privateKey, headerOverrides: { kid: undefined } });
    expectOAuthError(await tokenWith(noKid), 401, 'invalid_client');
  });

  it('a kid that is not a string is refused (RFC 7515 §4.1.4), whatever members it has', async () => {
    for (const kid of [42, {}, { toString: 'x' }, ['a']]) {
      const assertion = await lab.assertion({ headerOverrides: { kid } });
      expectOAuthError(await tokenWith(assertion), 401, 'invalid_client');
    }
  });

  it('RS256 is refused under fapi2, even with a 2048-bit key', async () => {
    const rsa = await generateKeyPair('RS256', { modulusLength: 2048 });
    const assertion = await createClientAssertion({
      clientId: lab.fapi.clientId,
      audience: lab.issuer,
      key: rsa.privateKey,
      alg: 'RS256',
      kid: lab.fapi.kid,
      now: lab.clock.seconds(),
    });
    expectOAuthError(await tokenWith(assertion), 401, 'invalid_client');
  });

  it('HS256 (an HMAC keyed with anything) is refused', async () => {
    const now = lab.clock.seconds();
    const header = { alg: 'HS256', typ: 'JWT', kid: lab.fapi.kid };
    const payload = {
      iss: lab.fapi.clientId,
      sub: lab.fapi.clientId,
      aud: lab.issuer,
      iat: now,
      exp: now + 60,
      jti: generateJti(),
    };
    const key = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode('a shared secret anyone could guess'),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    const signature = Buffer.from(
      await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input)),
    ).toString('base64url');
    expectOAuthError(await tokenWith(`${input}.${signature}`), 401, 'invalid_client');
  });

  it('alg none is refused', async () => {
    const assertion = await lab.assertion({ headerOverrides: { alg: 'none' } });
    expect(assertion.endsWith('.')).toBe(true);
    expectOAuthError(await tokenWith(assertion), 401, 'invalid_client');
  });

  it('iss ≠ sub, or either ≠ client_id, is refused', async () => {
    expectOAuthError(
      await tokenWith(await lab.assertion({ payloadOverrides: { iss: 'demo-fapi' } })),
      401,
      'invalid_client',
    );
    expectOAuthError(
      await tokenWith(await lab.assertion({ payloadOverrides: { sub: 'demo-fapi' } })),
      401,
      'invalid_client',
    );
  });

  it('a tampered signature is refused', async () => {
    const assertion = await lab.assertion();
    const [h, p] = assertion.split('.');
    const forged = JSON.parse(Buffer.from(p as string, 'base64url').toString()) as Record<string, unknown>;
    forged.exp = (forged.exp as number) + 3600;
    const tampered = `${h}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${assertion.split('.')[2]}`;
    expectOAuthError(await tokenWith(tampered), 401, 'invalid_client');
  });

  it('a wrong client_assertion_type is refused', async () => {
    const response = await lab.post(
      '/token',
      {
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer',
        client_assertion: await lab.assertion(),
      },
      { DPoP: await lab.proof(await lab.dpopKey(), 'POST', '/token') },
    );
    expectOAuthError(response, 401, 'invalid_client');
  });

  it('a client_id in the body naming another client than the assertion is refused (RFC 7521 §4.2)', async () => {
    const response = await tokenWith(await lab.assertion(), { client_id: 'demo-fapi' });
    expectOAuthError(response, 401, 'invalid_client');
    // Said as it is: not as a key of that other client that the assertion's kid does not name.
    expect(response.json?.error_description).toMatch(/client_id/);
  });

  it('an assertion with a crit extension the server does not know is refused, and said so (RFC 7515 §4.1.11)', async () => {
    const assertion = await lab.assertion({ headerOverrides: { crit: ['x-unknown'], 'x-unknown': 1 } });
    const response = await tokenWith(assertion);
    expectOAuthError(response, 401, 'invalid_client');
    expect(response.json?.error_description).toMatch(/x-unknown/);
  });

  it('client_secret_post for a fapi2 client is invalid_client (401)', async () => {
    const response = await lab.post(
      '/token',
      {
        grant_type: 'client_credentials',
        client_id: lab.fapi.clientId,
        client_secret: 'some-secret-value-long-enough',
      },
      { DPoP: await lab.proof(await lab.dpopKey(), 'POST', '/token') },
    );
    expectOAuthError(response, 401, 'invalid_client');
  });

  it('client_secret_basic for a fapi2 client is invalid_client (401)', async () => {
    const basic = Buffer.from(`${lab.fapi.clientId}:some-secret-value-long-enough`).toString('base64');
    const response = await lab.post(
      '/token',
      { grant_type: 'client_credentials' },
      { Authorization: `Basic ${basic}`, DPoP: await lab.proof(await lab.dpopKey(), 'POST', '/token') },
    );
    expectOAuthError(response, 401, 'invalid_client');
  });

  it('no client authentication at all is invalid_client (401)', async () => {
    const response = await lab.post(
      '/token',
      { grant_type: 'client_credentials', client_id: lab.fapi.clientId },
      { DPoP: await lab.proof(await lab.dpopKey(), 'POST', '/token') },
    );
    expectOAuthError(response, 401, 'invalid_client');
  });

  it('two authentication methods at once are refused', async () => {
    const basic = Buffer.from(`demo-standard:demo-standard-secret-not-for-production`).toString('base64');
    const response = await lab.post(
      '/token',
      {
        grant_type: 'client_credentials',
        client_assertion_type: clientAssertionType,
        client_assertion: await lab.assertion(),
      },
      { Authorization: `Basic ${basic}`, DPoP: await lab.proof(await lab.dpopKey(), 'POST', '/token') },
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(['invalid_client', 'invalid_request']).toContain(response.json?.error);
  });

  it('a malformed client_assertion is invalid_client', async () => {
    for (const assertion of [
      'not-a-jwt',
      'a.b.c',
      '..',
      `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.%%%.x`,
    ]) {
      expectOAuthError(await tokenWith(assertion), 401, 'invalid_client');
    }
  });
});
