import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MustsLab, expectErrorPage, expectJsonPostRefused, send } from '../../support/musts-helpers';

const POST_LOGOUT = 'https://rp.example.com/logged-out';

/** OpenID Connect RP-Initiated Logout 1.0 §2, §3: registered URIs only, state echoed, session ended. */
describe('MUST: RP-initiated logout', () => {
  let lab: MustsLab;

  beforeAll(async () => {
    lab = await MustsLab.start();
  });
  afterAll(() => lab?.close());

  it('an unregistered post_logout_redirect_uri: an error page, never a redirect', async () => {
    const { browser, idToken } = await lab.loggedInBrowser();
    const cases: Record<string, string>[] = [
      { id_token_hint: idToken, post_logout_redirect_uri: 'https://attacker.example/bye', state: 's' },
      { client_id: lab.fapi.clientId, post_logout_redirect_uri: 'https://attacker.example/bye' },
      // Registered for another client only.
      { client_id: lab.fapi.clientId, post_logout_redirect_uri: 'http://127.0.0.1/callback' },
    ];
    for (const params of cases) {
      expectErrorPage(await browser.get(lab.endSessionUrl(params)), 'invalid_request');
    }
    // The session is untouched.
    expect((await lab.silentAuthorize(browser))?.searchParams.get('code')).toBeTruthy();
  });

  it('a post_logout_redirect_uri with no way to know the client: an error page', async () => {
    expectErrorPage(
      await send(lab.endSessionUrl({ post_logout_redirect_uri: POST_LOGOUT })),
      'invalid_request',
    );
  });

  it('a forged id_token_hint: an error page', async () => {
    const { idToken } = await lab.loggedInBrowser();
    const [h, p] = idToken.split('.');
    const forged = `${h}.${p}.${Buffer.from('forged signature').toString('base64url')}`;
    expectErrorPage(
      await send(lab.endSessionUrl({ id_token_hint: forged, post_logout_redirect_uri: POST_LOGOUT })),
      'invalid_request',
    );
  });

  it('an access token (typ at+jwt, signed by the same keys) is not an id_token_hint: an error page', async () => {
    const { code, pkce } = await lab.fapiCode();
    const tokens = await lab.redeemFapiCode(code, pkce.code_verifier, await lab.dpopKey());
    expectErrorPage(
      await send(
        lab.endSessionUrl({
          id_token_hint: tokens.json?.access_token as string,
          post_logout_redirect_uri: POST_LOGOUT,
        }),
      ),
      'invalid_request',
    );
  });

  it('a confirmed logout redirects (303) to the registered URI with state echoed, and ends the session', async () => {
    const { browser, idToken } = await lab.loggedInBrowser();
    expect((await lab.silentAuthorize(browser))?.searchParams.get('code')).toBeTruthy();
    const state = 'logout-state-' + 'x'.repeat(64);
    const page = await browser.get(
      lab.endSessionUrl({ id_token_hint: idToken, post_logout_redirect_uri: POST_LOGOUT, state }),
    );
    expect(page.status).toBe(200);
    const done = await browser.decide(page, 'logout');
    expect(done.status).toBe(303);
    expect(`${done.location?.origin}${done.location?.pathname}`).toBe(POST_LOGOUT);
    expect(done.location?.searchParams.get('state')).toBe(state);
    // Session ended: prompt=none now gets login_required.
    const after = await lab.silentAuthorize(browser);
    expect(after?.searchParams.get('error')).toBe('login_required');
    expect(after?.searchParams.get('code')).toBeNull();
  });

  it('cancel keeps the session', async () => {
    const { browser, idToken } = await lab.loggedInBrowser();
    const page = await browser.get(
      lab.endSessionUrl({ id_token_hint: idToken, post_logout_redirect_uri: POST_LOGOUT }),
    );
    await browser.decide(page, 'cancel');
    expect((await lab.silentAuthorize(browser))?.searchParams.get('code')).toBeTruthy();
  });

  it('a tampered post_logout_redirect_uri in the confirmation form is refused', async () => {
    const { browser, idToken } = await lab.loggedInBrowser();
    const page = await browser.get(
      lab.endSessionUrl({ id_token_hint: idToken, post_logout_redirect_uri: POST_LOGOUT }),
    );
    const done = await browser.decide(page, 'logout', {
      post_logout_redirect_uri: 'https://attacker.example/bye',
    });
    expectErrorPage(done, 'invalid_request');
  });

  it('a POSTed logout request is read from its form; a body of another type is refused, not read as no parameters', async () => {
    const { browser, idToken } = await lab.loggedInBrowser();
    const params = { id_token_hint: idToken, post_logout_redirect_uri: POST_LOGOUT, state: 'posted' };
    // §2: POST with Form Serialization. The confirmation carries the redirect it was asked for.
    const page = await browser.request('POST', lab.url('/end_session'), new URLSearchParams(params));
    expect(page.status).toBe(200);
    expect(page.text).toContain(`value="${POST_LOGOUT}"`);

    await expectJsonPostRefused(lab.url('/end_session'), params);
    // An empty POST is a logout request without parameters: the confirmation, with no redirect.
    const empty = await send(lab.url('/end_session'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '0' },
    });
    expect(empty.status).toBe(200);
    expect(empty.text).not.toContain(POST_LOGOUT);
    expect((await lab.silentAuthorize(browser))?.searchParams.get('code')).toBeTruthy();
  });

  it('the confirmation cannot be forged without the CSRF token', async () => {
    const { browser, idToken } = await lab.loggedInBrowser();
    const forged = await browser.request(
      'POST',
      lab.url('/end_session/confirm'),
      new URLSearchParams({ id_token_hint: idToken, decision: 'logout' }),
    );
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect((await lab.silentAuthorize(browser))?.searchParams.get('code')).toBeTruthy();
  });
});
