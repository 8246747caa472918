import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAPI_REDIRECT_URI,
  MustsBrowser,
  MustsLab,
  STANDARD_CLIENT_ID,
  STANDARD_REDIRECT_URI,
  expectConsentPage,
  pkce,
} from '../../support/musts-helpers';

/**
 * OpenID Connect Core §3.1.2.1 (prompt=consent): "The Authorization Server SHOULD prompt the End-User
 * for consent before returning information to the Client" — even when the user consented before.
 */
describe('MUST: prompt=consent asks for consent again', () => {
  describe('fapi2 client, through PAR', () => {
    let lab: MustsLab;

    beforeAll(async () => {
      lab = await MustsLab.start();
    });
    afterAll(() => lab?.close());

    /** A PAR request of the fapi2 client, opened in `browser`: the first response of /authorize. */
    async function authorizeInBrowser(browser: MustsBrowser, overrides: Record<string, string> = {}) {
      const { params } = await lab.fapiParams({ scope: 'openid profile', ...overrides });
      const pushed = await lab.par(params);
      expect(pushed.status, pushed.text).toBe(201);
      return browser.get(lab.authorizeUrl(pushed.json?.request_uri as string));
    }

    it('OIDC Core §3.1.2.1 prompt=consent: a user who already consented is shown the consent page, not redirected with a code', async () => {
      const browser = new MustsBrowser();
      await lab.fapiCode({ scope: 'openid profile' }, { browser });

      // The consent is remembered: without prompt, the same request goes straight back with a code.
      const remembered = await authorizeInBrowser(browser);
      expect(remembered.status).toBe(303);
      expect(remembered.location?.href.startsWith(FAPI_REDIRECT_URI)).toBe(true);
      expect(remembered.location?.searchParams.get('code')).toBeTruthy();

      const first = await authorizeInBrowser(browser, { prompt: 'consent', state: 'consent-again' });
      expect(first.status).toBe(303);
      expect(first.location?.origin).toBe(new URL(lab.issuer).origin);
      expect(first.location?.searchParams.get('code') ?? null).toBeNull();
      const page = await browser.follow(first, lab.issuer);
      expectConsentPage(page);

      // Allowing on that page completes the request.
      const done = await browser.decide(page, 'allow');
      expect(done.status).toBe(303);
      expect(done.location?.href.startsWith(FAPI_REDIRECT_URI)).toBe(true);
      expect(done.location?.searchParams.get('code')).toBeTruthy();
      expect(done.location?.searchParams.get('state')).toBe('consent-again');
    });
  });

  describe('standard client, at the front channel (PAR not required server-wide)', () => {
    let lab: MustsLab;

    beforeAll(async () => {
      lab = await MustsLab.start({ settings: { require_pushed_authorization_requests: false } });
    });
    afterAll(() => lab?.close());

    const standardRequest = async (extra: Record<string, string> = {}) => {
      const codes = await pkce();
      const params = new URLSearchParams({
        response_type: 'code',
        client_id: STANDARD_CLIENT_ID,
        redirect_uri: STANDARD_REDIRECT_URI,
        scope: 'openid email',
        code_challenge: codes.code_challenge,
        code_challenge_method: 'S256',
        state: 'front',
        ...extra,
      });
      return lab.url(`/authorize?${params}`);
    };

    it('OIDC Core §3.1.2.1 prompt=consent: the standard client, consented before, gets the consent page again, not a code', async () => {
      const browser = new MustsBrowser();
      const consented = await browser.authorize(await standardRequest(), lab.issuer);
      expect(consented.location?.searchParams.get('code'), consented.text.slice(0, 300)).toBeTruthy();

      const remembered = await browser.get(await standardRequest());
      expect(remembered.status).toBe(303);
      expect(`${remembered.location?.origin}${remembered.location?.pathname}`).toBe(STANDARD_REDIRECT_URI);
      expect(remembered.location?.searchParams.get('code')).toBeTruthy();

      const first = await browser.get(await standardRequest({ prompt: 'consent' }));
      expect(first.status).toBe(303);
      expect(first.location?.origin).toBe(new URL(lab.issuer).origin);
      expect(first.location?.searchParams.get('code') ?? null).toBeNull();
      expectConsentPage(await browser.follow(first, lab.issuer));
    });
  });
});
