import { decodeJwt } from 'jose';
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
 * OpenID Connect Core §3.1.2.4: the End-User the provider authenticated is the one who consents. A
 * consent page shown for the browser's session (no login on it) names that user; if another user logs
 * in meanwhile, in another tab, that page's answer must not issue a code in the new user's name: the
 * new user is asked.
 */
describe('MUST: a consent page answers for the user it was shown to', () => {
  let lab: MustsLab;

  beforeAll(async () => {
    lab = await MustsLab.start();
  });
  afterAll(() => lab?.close());

  /** An authorization in `browser`, up to its first page; its PKCE verifier for the code. */
  async function open(browser: MustsBrowser, overrides: Record<string, string>) {
    const { page, pkce } = await lab.openFapiAuthorization(browser, {
      scope: 'openid profile',
      ...overrides,
    });
    return { page, verifier: pkce.code_verifier };
  }

  /** The `sub` of the ID token the code redeems for. */
  async function subOf(done: BrowserPage, verifier: string): Promise<unknown> {
    expect(done.status).toBe(303);
    expect(done.location?.href.startsWith(FAPI_REDIRECT_URI)).toBe(true);
    const code = done.location?.searchParams.get('code');
    expect(code).toBeTruthy();
    const tokens = await lab.redeemFapiCode(code as string, verifier, await lab.dpopKey());
    expect(tokens.status, tokens.text).toBe(200);
    return decodeJwt(tokens.json?.id_token as string).sub;
  }

  /** A browser signed in as alice, at the consent page of a new authorization (prompt=consent). */
  async function aliceAtConsent(state: string) {
    const browser = new MustsBrowser();
    await lab.fapiCode({}, { browser });
    const { page, verifier } = await open(browser, { prompt: 'consent', state });
    expectConsentPage(page);
    expect(page.text).toContain('Signed in as <strong>alice</strong>');
    return { browser, consent: page, verifier };
  }

  it('control: allowing on it issues the code for the user it names', async () => {
    const { browser, consent, verifier } = await aliceAtConsent('control');
    expect(await subOf(await browser.decide(consent, 'allow'), verifier)).toBe('alice');
  });

  it('§3.1.2.4: once bob has logged in, in another tab, its answer asks bob instead of issuing his code', async () => {
    const { browser, consent, verifier } = await aliceAtConsent('switched');
    // Another tab: an authorization that asks for a login, where bob signs in (the session is now his).
    const other = await open(browser, { prompt: 'login', state: 'other-tab' });
    expectLoginPage(other.page);
    await browser.submit(other.page, { username: 'bob', password: 'builder' });

    const answer = await browser.decide(consent, 'allow');
    expect(answer.location?.searchParams.get('code') ?? null).toBeNull();
    expectConsentPage(answer);
    expect(answer.text).toContain('Signed in as <strong>bob</strong>');

    // Bob's own answer completes the authorization, in his name.
    expect(await subOf(await browser.decide(answer, 'allow'), verifier)).toBe('bob');
  });

  it('refuses an answer that names no user, and asks again', async () => {
    const { browser, consent } = await aliceAtConsent('unnamed');
    const answer = await browser.decide(consent, 'allow', { signed_in: '' });
    expect(answer.location?.searchParams.get('code') ?? null).toBeNull();
    expectConsentPage(answer);
  });
});
