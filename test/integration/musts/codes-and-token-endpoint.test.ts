import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64urlDecode, clientAssertionType } from '../../../src/client';
import {
  FAPI_REDIRECT_URI,
  MustsLab,
  expectOAuthError,
  send,
  expectFapiCodeLivesSixtySeconds,
} from '../../support/musts-helpers';

/** Codes, PKCE and the token endpoint (RFC 6749 §4.1.3, §5.2; RFC 7636 §4.6; FAPI 2.0 SP §5.3.2.1). */
describe('MUST: authorization codes, PKCE and the token endpoint', () => {
  let lab: MustsLab;

  beforeAll(async () => {
    lab = await MustsLab.start();
  });
  afterAll(() => lab?.close());

  it('PKCE: a missing code_verifier is invalid_grant', async () => {
    const dpopKey = await lab.dpopKey();
    const { code } = await lab.fapiCode();
    const response = await lab.post(
      '/token',
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: FAPI_REDIRECT_URI,
        ...(await lab.clientAuth()),
      },
      { DPoP: await lab.proof(dpopKey, 'POST', '/token') },
    );
    // RFC 7636 §4.6 and the checklist: a missing verifier is invalid_grant.
    expectOAuthError(response, 400, 'invalid_grant');
  });

  it('PKCE: a wrong code_verifier is invalid_grant', async () => {
    const dpopKey = await lab.dpopKey();
    const { code, pkce } = await lab.fapiCode();
    const wrong = `${pkce.code_verifier.slice(0, -1)}${pkce.code_verifier.endsWith('A') ? 'B' : 'A'}`;
    expectOAuthError(await lab.redeemFapiCode(code, wrong, dpopKey), 400, 'invalid_grant');
  });

  it('PKCE: the code_challenge itself sent as verifier (a plain downgrade) is invalid_grant', async () => {
    const dpopKey = await lab.dpopKey();
    const { code, pkce } = await lab.fapiCode();
    expectOAuthError(await lab.redeemFapiCode(code, pkce.code_challenge, dpopKey), 400, 'invalid_grant');
  });

  it('a code is single use: the second use is invalid_grant and revokes the tokens of the first', async () => {
    const tokens = await lab.fapiTokens();
    expect(await lab.introspect(tokens.access_token)).toMatchObject({ active: true });
    const again = await lab.redeemFapiCode(tokens.code, tokens.pkce.code_verifier, tokens.dpopKey);
    expectOAuthError(again, 400, 'invalid_grant');
    expect(await lab.introspect(tokens.access_token)).toEqual({ active: false });
    expect(await lab.introspect(tokens.refresh_token as string)).toEqual({ active: false });
  });

  it('a replayed code is refused as used, and revokes, whatever else is wrong with the replay', async () => {
    // RFC 6749 §4.1.2: whoever replays the code (an attacker has no verifier) triggers the revocation.
    const tokens = await lab.fapiTokens();
    const again = await lab.redeemFapiCode(tokens.code, 'w'.repeat(43), tokens.dpopKey);
    expectOAuthError(again, 400, 'invalid_grant');
    expect(again.json?.error_description).toMatch(/already used/);
    expect(await lab.introspect(tokens.access_token)).toEqual({ active: false });
  });

  it('a code redeemed twice at the same moment is issued once', async () => {
    const { code, pkce } = await lab.fapiCode();
    const [a, b] = await Promise.all([
      lab.redeemFapiCode(code, pkce.code_verifier, await lab.dpopKey()),
      lab.redeemFapiCode(code, pkce.code_verifier, await lab.dpopKey()),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    expectOAuthError(a.status === 400 ? a : b, 400, 'invalid_grant');
  });

  it('a client assertion used at PAR cannot be replayed at the token endpoint (same jti)', async () => {
    const { params } = await lab.fapiParams();
    const assertion = await lab.assertion();
    const pushed = await lab.post('/par', {
      ...params,
      client_assertion_type: clientAssertionType,
      client_assertion: assertion,
    });
    expect(pushed.status, pushed.text).toBe(201);
    const replay = await lab.post(
      '/token',
      {
        grant_type: 'client_credentials',
        client_assertion_type: clientAssertionType,
        client_assertion: assertion,
      },
      { DPoP: await lab.proof(await lab.dpopKey(), 'POST', '/token') },
    );
    expectOAuthError(replay, 401, 'invalid_client');
  });

  it('a client not registered for client_credentials cannot use it', async () => {
    const response = await lab.post('/token', { grant_type: 'client_credentials', ...lab.standardAuth() });
    expect(response.status).toBe(400);
    expect(['unauthorized_client', 'unsupported_grant_type']).toContain(response.json?.error);
  });

  it('a code expires after 60 s under fapi2: 59 s is fine, 61 s is invalid_grant', async () => {
    await expectFapiCodeLivesSixtySeconds(lab);
  });

  it('a code is bound to its client: another client redeeming it gets invalid_grant', async () => {
    const { code, pkce } = await lab.fapiCode();
    const response = await lab.post('/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: FAPI_REDIRECT_URI,
      code_verifier: pkce.code_verifier,
      ...lab.standardAuth(),
    });
    expectOAuthError(response, 400, 'invalid_grant');
  });

  it('a code is bound to its redirect_uri: another registered one, or none, gets invalid_grant', async () => {
    const dpopKey = await lab.dpopKey();
    const { code, pkce } = await lab.fapiCode();
    expectOAuthError(
      await lab.redeemFapiCode(code, pkce.code_verifier, dpopKey, { redirect_uri: 'http://127.0.0.1/cb' }),
      400,
      'invalid_grant',
    );
    const second = await lab.fapiCode();
    const withoutRedirect = await lab.post(
      '/token',
      {
        grant_type: 'authorization_code',
        code: second.code,
        code_verifier: second.pkce.code_verifier,
        ...(await lab.clientAuth()),
      },
      { DPoP: await lab.proof(dpopKey, 'POST', '/token') },
    );
    expect(withoutRedirect.status).toBe(400);
    expect(['invalid_grant', 'invalid_request']).toContain(withoutRedirect.json?.error);
  });

  it('codes, refresh tokens and request_uris carry at least 128 bits (base64url of 16+ bytes)', async () => {
    const { params } = await lab.fapiParams();
    const pushed = await lab.par(params);
    const handle = (pushed.json?.request_uri as string).replace('urn:ietf:params:oauth:request_uri:', '');
    const tokens = await lab.fapiTokens();
    for (const [name, value] of [
      ['request_uri', handle],
      ['code', tokens.code],
      ['refresh_token', tokens.refresh_token as string],
    ] as const) {
      expect(value, name).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(base64urlDecode(value).length * 8, name).toBeGreaterThanOrEqual(128);
    }
    // And they differ each time.
    const other = await lab.fapiCode();
    expect(other.code).not.toBe(tokens.code);
  });

  it('a missing grant_type is invalid_request', async () => {
    expectOAuthError(await lab.post('/token', { ...(await lab.clientAuth()) }), 400, 'invalid_request');
  });

  it('an unknown grant_type is unsupported_grant_type', async () => {
    expectOAuthError(
      await lab.post('/token', { grant_type: 'urn:example:magic', ...(await lab.clientAuth()) }),
      400,
      'unsupported_grant_type',
    );
  });

  it('the resource owner password grant is unsupported_grant_type (FAPI 2.0 SP §5.3.2.1)', async () => {
    expectOAuthError(
      await lab.post('/token', {
        grant_type: 'password',
        username: 'alice',
        password: 'wonderland',
        ...(await lab.clientAuth()),
      }),
      400,
      'unsupported_grant_type',
    );
    expectOAuthError(
      await lab.post('/token', {
        grant_type: 'password',
        username: 'alice',
        password: 'wonderland',
        ...lab.standardAuth(),
      }),
      400,
      'unsupported_grant_type',
    );
  });

  it('a JSON body at the token endpoint is invalid_request', async () => {
    const response = await send(lab.url('/token'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', ...(await lab.clientAuth()) }),
    });
    expectOAuthError(response, 400, 'invalid_request');
  });

  it('the token endpoint accepts POST only (405)', async () => {
    const response = await lab.get('/token');
    expect(response.status).toBe(405);
  });
});
