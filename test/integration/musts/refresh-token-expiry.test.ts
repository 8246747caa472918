import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MustsLab, expectOAuthError } from '../../support/musts-helpers';

const LIFETIME = 60;

/**
 * RFC 6749 §6 and RFC 7662 §2.2: a refresh token past its lifetime (`refresh_token_lifetime`, 60 s
 * here) is refused at the token endpoint and inactive at introspection.
 */
describe('MUST: an expired refresh token is dead (refresh_token_lifetime 60)', () => {
  let lab: MustsLab;

  beforeAll(async () => {
    lab = await MustsLab.start({ settings: { refresh_token_lifetime: LIFETIME } });
  });
  afterAll(() => lab?.close());

  /** Runs `body` with the lab clock moved past the refresh token lifetime, then moves it back. */
  const afterExpiry = async (body: () => Promise<void>) => {
    lab.clock.advance(LIFETIME + 1);
    try {
      await body();
    } finally {
      lab.clock.advance(-(LIFETIME + 1));
    }
  };

  it('RFC 6749 §6: a refresh with an expired refresh token is 400 invalid_grant', async () => {
    const tokens = await lab.fapiTokens();
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(await lab.introspect(tokens.refresh_token as string)).toMatchObject({ active: true });
    await afterExpiry(async () => {
      const response = await lab.post(
        '/token',
        {
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token as string,
          ...(await lab.clientAuth()),
        },
        { DPoP: await lab.proof(tokens.dpopKey, 'POST', '/token') },
      );
      expectOAuthError(response, 400, 'invalid_grant');
      expect(response.json).not.toHaveProperty('access_token');
    });
  });

  it('RFC 7662 §2.2: introspection of an expired refresh token is 200 with exactly {"active":false}', async () => {
    const tokens = await lab.fapiTokens();
    expect(await lab.introspect(tokens.refresh_token as string)).toMatchObject({ active: true });
    await afterExpiry(async () => {
      const response = await lab.post('/introspect', {
        token: tokens.refresh_token as string,
        token_type_hint: 'refresh_token',
        ...(await lab.clientAuth()),
      });
      expect(response.status, response.text).toBe(200);
      expect(response.json).toStrictEqual({ active: false });
    });
  });
});
