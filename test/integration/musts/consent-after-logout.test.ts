import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAPI_REDIRECT_URI,
  MustsBrowser,
  MustsLab,
  expectConsentPage,
  expectLoginPage,
  type BrowserPage,
} from '../../support/musts-helpers';

/**
 * A login made during an authorization holds only while the session it opened lives. OpenID Connect
 * RP-Initiated Logout 1.0 §2: logout ends the End-User's session at the OP; a consent page left open
 * in another tab must not then issue a code on the strength of that login (Core §3.1.2.3: the OP
 * authenticates the End-User when it has no live session for them).
 */
describe('MUST: a consent page left open does not outlive the session its login opened', () => {
  let lab: MustsLab;

  beforeAll(async () => {
    lab = await MustsLab.start();
  });
  afterAll(() => lab?.close());

  /** A fresh browser at the consent page of a new fapi2 authorization, having logged in on it. */
  async function atConsent(): Promise<{
    browser: MustsBrowser;
    consent: BrowserPage;
    interactionUrl: string;
  }> {
    const browser = new MustsBrowser();
    // prompt=consent: the consent page every time, whatever the earlier tests granted.
    const { first, page: login } = await lab.openFapiAuthorization(browser, {
      scope: 'openid profile',
      state: 'left-open',
      prompt: 'consent',
    });
    const interactionUrl = first.location?.href as string;
    expectLoginPage(login);
    const consent = await browser.submit(login, { username: 'alice', password: 'wonderland' });
    expectConsentPage(consent);
    return { browser, consent, interactionUrl };
  }

  /** RP-initiated logout in `browser`, confirmed on the provider's page. */
  async function logOut(browser: MustsBrowser): Promise<void> {
    const confirm = await browser.get(lab.endSessionUrl());
    expect(confirm.status, confirm.text.slice(0, 300)).toBe(200);
    const done = await browser.decide(confirm, 'logout');
    expect(done.status).toBeLessThan(400);
  }

  it('control: without a logout, allowing on the consent page redirects with a code', async () => {
    const { browser, consent } = await atConsent();
    const done = await browser.decide(consent, 'allow');
    expect(done.status).toBe(303);
    expect(done.location?.href.startsWith(FAPI_REDIRECT_URI)).toBe(true);
    expect(done.location?.searchParams.get('code')).toBeTruthy();
  });

  it('RP-Initiated Logout §2: allowing after the session ended shows the login page, no code; logging in again completes it', async () => {
    const { browser, consent } = await atConsent();
    await logOut(browser);
    const afterLogout = await browser.decide(consent, 'allow');
    expect(afterLogout.location?.searchParams.get('code') ?? null).toBeNull();
    expectLoginPage(afterLogout);

    const done = await browser.authorize(afterLogout, lab.issuer);
    expect(done.status).toBe(303);
    expect(done.location?.href.startsWith(FAPI_REDIRECT_URI)).toBe(true);
    expect(done.location?.searchParams.get('code')).toBeTruthy();
    expect(done.location?.searchParams.get('state')).toBe('left-open');
  });

  it('RP-Initiated Logout §2: reopening the interaction after the session ended asks for a login, not consent', async () => {
    const { browser, interactionUrl } = await atConsent();
    expectConsentPage(await browser.get(interactionUrl));
    await logOut(browser);
    const reopened = await browser.get(interactionUrl);
    expectLoginPage(reopened);
  });
});
