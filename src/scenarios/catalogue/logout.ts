import { BrowserPages } from '../browser-pages';
import type { ClientResponse } from '../../client';
import { fapiCode } from '../flows';
import { observe, withProblem } from '../observe';
import type { Observation } from '../types';
import { scenario } from './define';

/**
 * The provider's answer to a form left open: a problem when it redirects with a code (`ifCode`), or
 * when it is a page without the field `field` names (not the `page` it should be).
 */
function answerToFormLeftOpen(
  answer: ClientResponse,
  ifCode: string,
  expected: { readonly field: string; readonly page: string },
): Observation {
  const code = new URL(answer.headers.get('location') ?? '/', answer.url).searchParams.get('code');
  return withProblem(
    observe(answer),
    code !== null
      ? ifCode
      : answer.status === 200 && !answer.body.includes(`name="${expected.field}"`)
        ? `the answer is not the ${expected.page}`
        : undefined,
  );
}

export const logoutScenarios = [
  scenario({
    id: 'logout-unregistered-post-logout-redirect-uri',
    title: 'Logout with an unregistered post_logout_redirect_uri',
    category: 'logout',
    description: 'The standard client asks to be sent back to a URI it never registered.',
    expected: { status: 400, error: 'invalid_request' },
    clause: 'OpenID Connect RP-Initiated Logout 1.0 §3 (registered URIs only); RFC 6749 §4.1.2.1',
    teaching:
      'An open redirect on logout lets an attacker send users from a trusted page to a phishing site.',
    run: async (ctx) => {
      const client = ctx.client('standard');
      const { observation, response } = await ctx.send({
        stage: 'other',
        label: 'end session',
        method: 'GET',
        url: await ctx.endpoint('end_session_endpoint'),
        params: [
          ['client_id', client.client_id],
          ['post_logout_redirect_uri', 'https://attacker.example/phish'],
          ['state', 'xyz'],
        ],
        headers: { Accept: 'text/html' },
      });
      const location = response.headers.get('location');
      return withProblem(
        observation,
        location && location.startsWith('https://attacker.example')
          ? 'the provider redirected to the unregistered URI'
          : undefined,
      );
    },
  }),
  scenario({
    id: 'logout-consent-page-left-open',
    title: 'Consent given on a page left open after logout',
    category: 'logout',
    description:
      'The user logs in on a FAPI authorization and reaches its consent page, logs out in the same browser (RP-initiated logout, confirmed), then allows on the consent page left open.',
    expected: { success: true, status: 200 },
    clause: 'OpenID Connect RP-Initiated Logout 1.0 §2; OpenID Connect Core §3.1.2.3 (a login page, no code)',
    teaching:
      'A login speaks for the browser only while its session lives: after a logout, a page left open in another tab must not turn into a code.',
    run: async (ctx) => {
      const pages = new BrowserPages(ctx);
      const consentForm = pages.form(await pages.consentPageAfterLogin(), 'decision', 'consent');
      await pages.logOut();
      const answer = await pages.submit(consentForm, { decision: 'allow' });
      return answerToFormLeftOpen(answer, 'the provider issued a code for a login whose session had ended', {
        field: 'password',
        page: 'login page',
      });
    },
  }),
  scenario({
    id: 'logout-consent-after-another-login',
    title: 'Consent given on a page shown before another user logged in',
    category: 'logout',
    description:
      'The first user, signed in already, reaches the consent page of a FAPI authorization (prompt=consent); the second user then logs in, in the same browser, on another authorization; the consent page left open is answered.',
    expected: { success: true, status: 200 },
    clause:
      'OpenID Connect Core §3.1.2.4 (the End-User the OP authenticated consents; the consent page again, no code)',
    teaching:
      "A consent page answers for the user it named: once another user's login has taken the browser's session, its answer must not issue a code in that user's name.",
    run: async (ctx) => {
      const pages = new BrowserPages(ctx);
      const second = ctx.otherUser();
      await pages.logOut();
      // The first user signs in on one authorization, which completes: the browser's session is theirs.
      await fapiCode(ctx);
      // A consent page for that session, with no login on it, left open.
      const consent = await pages.openFapiAuthorization([['prompt', 'consent']]);
      const consentForm = pages.form(consent, 'decision', 'consent');
      // Another authorization, where the second user logs in: the session is now theirs.
      const otherLogin = await pages.openFapiAuthorization([['prompt', 'login']]);
      await pages.submit(pages.form(otherLogin, 'password', 'second login'), second);
      const answer = await pages.submit(consentForm, { decision: 'allow' });
      return answerToFormLeftOpen(
        answer,
        'the provider issued a code on a consent page shown to another user',
        {
          field: 'decision',
          page: 'consent page',
        },
      );
    },
  }),
];
