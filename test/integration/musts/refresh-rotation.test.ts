import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MustsLab, expectOAuthError, type IssuedTokens } from '../../support/musts-helpers';

/**
 * FAPI 2.0 SP §5.3.2.1: refresh tokens are not rotated, except in extraordinary circumstances; when the
 * lab option turns rotation on, the previous token stays usable for a short retry window only.
 */
describe('MUST: refresh token rotation (lab option) keeps a short retry window', () => {
  let lab: MustsLab;
  let tokens: IssuedTokens;

  beforeAll(async () => {
    lab = await MustsLab.start({
      settings: { refresh_token_rotation: true, refresh_token_rotation_grace: 10 },
    });
    tokens = await lab.fapiTokens();
  });
  afterAll(() => lab?.close());

  const refresh = async (refreshToken: string) =>
    lab.post(
      '/token',
      { grant_type: 'refresh_token', refresh_token: refreshToken, ...(await lab.clientAuth()) },
      { DPoP: await lab.proof(tokens.dpopKey, 'POST', '/token') },
    );

  it('rotates, the previous token works within the grace, and is refused after it', async () => {
    const first = await refresh(tokens.refresh_token as string);
    expect(first.status, first.text).toBe(200);
    const rotated = first.json?.refresh_token as string;
    expect(rotated).toEqual(expect.any(String));
    expect(rotated).not.toBe(tokens.refresh_token);

    lab.clock.advance(5);
    const retry = await refresh(tokens.refresh_token as string);
    expect(retry.status, retry.text).toBe(200);

    lab.clock.advance(6);
    expectOAuthError(await refresh(tokens.refresh_token as string), 400, 'invalid_grant');
    // Introspection agrees with the token endpoint (RFC 7662 §2.2).
    expect(await lab.introspect(tokens.refresh_token as string)).toEqual({ active: false });
    const next = await refresh(rotated);
    expect(next.status, next.text).toBe(200);
  });

  it('of concurrent refreshes with one token, only one receives a successor (no forked token family)', async () => {
    const fresh = await lab.fapiTokens();
    const responses = await Promise.all(
      [1, 2, 3].map(async () =>
        lab.post(
          '/token',
          {
            grant_type: 'refresh_token',
            refresh_token: fresh.refresh_token as string,
            ...(await lab.clientAuth()),
          },
          { DPoP: await lab.proof(fresh.dpopKey, 'POST', '/token') },
        ),
      ),
    );
    for (const r of responses) expect(r.status, r.text).toBe(200);
    expect(responses.filter((r) => typeof r.json?.refresh_token === 'string')).toHaveLength(1);
  });
});
