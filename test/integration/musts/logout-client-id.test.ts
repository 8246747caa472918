import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseForms } from '../../../src/client';
import { MustsBrowser, MustsLab, STANDARD_CLIENT_ID, expectErrorPage } from '../../support/musts-helpers';

/** The fapi2 client's registered post_logout_redirect_uri. */
const POST_LOGOUT = 'https://rp.example.com/logged-out';
/** The standard client's registered post_logout_redirect_uri. */
const STANDARD_POST_LOGOUT = 'http://127.0.0.1/callback';

/**
 * OpenID Connect RP-Initiated Logout 1.0 §2 (client_id): "If both client_id and id_token_hint are
 * present, the OP MUST verify that the Client Identifier matches the one used when issuing the ID Token."
 */
describe('MUST: RP-initiated logout, client_id beside id_token_hint', () => {
  let lab: MustsLab;

  beforeAll(async () => {
    lab = await MustsLab.start();
  });
  afterAll(() => lab?.close());

  /** prompt=none in that browser: a code while the session lives. */
  const sessionLives = async (browser: MustsBrowser): Promise<boolean> =>
    Boolean((await lab.silentAuthorize(browser))?.searchParams.get('code'));

  it('RP-Initiated Logout §2: client_id that is not the audience of id_token_hint is refused with an error page (invalid_request), no redirect', async () => {
    const { browser, idToken } = await lab.loggedInBrowser();
    const cases: Record<string, string>[] = [
      { id_token_hint: idToken, client_id: STANDARD_CLIENT_ID },
      // The other client's own registered URI: the mismatch must not open a redirect to it.
      {
        id_token_hint: idToken,
        client_id: STANDARD_CLIENT_ID,
        post_logout_redirect_uri: STANDARD_POST_LOGOUT,
        state: 's',
      },
      { id_token_hint: idToken, client_id: STANDARD_CLIENT_ID, post_logout_redirect_uri: POST_LOGOUT },
      { id_token_hint: idToken, client_id: 'no-such-client' },
    ];
    for (const params of cases) {
      expectErrorPage(await browser.get(lab.endSessionUrl(params)), 'invalid_request');
    }
    // The matching client_id is accepted: the confirmation page.
    const matching = await browser.get(
      lab.endSessionUrl({
        id_token_hint: idToken,
        client_id: lab.fapi.clientId,
        post_logout_redirect_uri: POST_LOGOUT,
      }),
    );
    expect(matching.status).toBe(200);
    expect(matching.text).toContain('name="decision" value="logout"');
    expect(await sessionLives(browser)).toBe(true);
  });

  it('RP-Initiated Logout §2: a confirmation posted with id_token_hint and another client_id is refused (invalid_request) and the session is not ended', async () => {
    const { browser, idToken } = await lab.loggedInBrowser();
    const page = await browser.get(
      lab.endSessionUrl({ id_token_hint: idToken, post_logout_redirect_uri: POST_LOGOUT, state: 's' }),
    );
    expect(page.status).toBe(200);
    const form = parseForms(page.text, page.url)[0];
    if (!form) throw new Error(`no form on ${page.url}`);
    const body = new URLSearchParams();
    for (const field of form.fields) body.set(field.name, field.value);
    body.set('id_token_hint', idToken);
    body.set('client_id', STANDARD_CLIENT_ID);
    body.set('decision', 'logout');
    const done = await browser.request('POST', form.action, body);
    expectErrorPage(done, 'invalid_request');
    expect(await sessionLives(browser)).toBe(true);
  });
});
