import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MustsLab,
  STANDARD_CLIENT_ID,
  STANDARD_REDIRECT_URI,
  expectFapiCodeLivesSixtySeconds,
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
    await expectFapiCodeLivesSixtySeconds(lab);
  });

  it('FAPI 2.0 SP §5.3.2.1 (cap under fapi2 only): an oidc client’s code redeemed after 61 s is accepted, its 90 s apply', async () => {
    const { code, code_verifier } = await lab.parCode({
      clientId: STANDARD_CLIENT_ID,
      redirectUri: STANDARD_REDIRECT_URI,
      auth: lab.standardAuth(),
      scope: 'openid',
    });
    lab.clock.advance(61);
    try {
      const response = await lab.post('/token', {
        grant_type: 'authorization_code',
        code,
        redirect_uri: STANDARD_REDIRECT_URI,
        code_verifier,
        ...lab.standardAuth(),
      });
      expect(response.status, response.text).toBe(200);
      expect(response.json?.access_token).toEqual(expect.any(String));
    } finally {
      lab.clock.advance(-61);
    }
  });
});
