import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MustsBrowser,
  MustsLab,
  STANDARD_CLIENT_ID,
  STANDARD_REDIRECT_URI,
  expectOAuthError,
  pkce,
} from '../../support/musts-helpers';

/**
 * FAPI 2.0 SP §5.3.2.1: an authorization code lives at most 60 s — even when the lab is configured
 * for longer. The standard (oidc) profile keeps the configured lifetime.
 */
describe('MUST: a fapi2 code lives at most 60 s whatever authorization_code_lifetime says (90 here)', () => {
  let lab: MustsLab;

  beforeAll(async () => {
    lab = await MustsLab.start({ settings: { authorization_code_lifetime: 90 } });
  });
  afterAll(() => lab?.close());

  it('FAPI 2.0 SP §5.3.2.1: a fapi2 client’s code redeemed after 61 s is invalid_grant (after 59 s, fine)', async () => {
    const dpopKey = await lab.dpopKey();
    const late = await lab.fapiCode();
    lab.clock.advance(61);
    try {
      expectOAuthError(
        await lab.redeemFapiCode(late.code, late.pkce.code_verifier, dpopKey),
        400,
        'invalid_grant',
      );
    } finally {
      lab.clock.advance(-61);
    }
    const inTime = await lab.fapiCode();
    lab.clock.advance(59);
    try {
      const response = await lab.redeemFapiCode(inTime.code, inTime.pkce.code_verifier, dpopKey);
      expect(response.status, response.text).toBe(200);
    } finally {
      lab.clock.advance(-59);
    }
  });

  it('FAPI 2.0 SP §5.3.2.1 (cap under fapi2 only): an oidc client’s code redeemed after 61 s is accepted, its 90 s apply', async () => {
    const codes = await pkce();
    const pushed = await lab.post('/par', {
      response_type: 'code',
      redirect_uri: STANDARD_REDIRECT_URI,
      scope: 'openid',
      code_challenge: codes.code_challenge,
      code_challenge_method: 'S256',
      ...lab.standardAuth(),
    });
    expect(pushed.status, pushed.text).toBe(201);
    const done = await new MustsBrowser().authorize(
      lab.authorizeUrl(pushed.json?.request_uri as string, STANDARD_CLIENT_ID),
      lab.issuer,
    );
    const code = done.location?.searchParams.get('code') as string;
    expect(code, done.text).toBeTruthy();
    lab.clock.advance(61);
    try {
      const response = await lab.post('/token', {
        grant_type: 'authorization_code',
        code,
        redirect_uri: STANDARD_REDIRECT_URI,
        code_verifier: codes.code_verifier,
        ...lab.standardAuth(),
      });
      expect(response.status, response.text).toBe(200);
      expect(response.json?.access_token).toEqual(expect.any(String));
    } finally {
      lab.clock.advance(-61);
    }
  });
});
