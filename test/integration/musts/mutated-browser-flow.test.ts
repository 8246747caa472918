import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseForms } from '../../../src/client';
import { FAPI_REDIRECT_URI, MustsBrowser, MustsLab, type BrowserPage } from '../../support/musts-helpers';
import { seeded } from '../../support/seeded-random';

/** Strings a browser, a proxy or an attacker may put in any field or parameter. */
const ODD_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  '%',
  '%zz',
  'é',
  'a'.repeat(3000),
  'null',
  '[]',
  'openid openid',
  'none',
  'login consent',
  '-1',
  '1e309',
  'plain',
  'https://evil.example/cb',
  'javascript:alert(1)',
  'allow',
  'deny',
];

/** Parameters of an authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1) a client may send. */
const REQUEST_PARAMETERS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'code_challenge',
  'code_challenge_method',
  'state',
  'nonce',
  'prompt',
  'max_age',
  'login_hint',
  'acr_values',
  'response_mode',
  'request',
  'dpop_jkt',
  'id_token_hint',
];

type Mutation = 'pushed parameter' | 'authorize query' | 'form field' | 'form method';

/**
 * DESIGN.md, "Never a stack trace or a 5xx for bad input": authorization flows through PAR, the
 * authorization endpoint, login and consent, each with one thing changed (from a seeded generator): a
 * pushed parameter, an extra query parameter, one form field replaced, dropped, repeated or added, or
 * the form sent with another method. Every answer is below 500 (MustsBrowser asserts it), every flow
 * ends at the client's redirect URI or on a page of the provider, and the provider keeps serving.
 */
describe('MUST: browser flows with one field or parameter changed get an OAuth answer, never a 5xx', () => {
  let lab: MustsLab;
  const random = seeded(20261130);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;

  beforeAll(async () => {
    lab = await MustsLab.start({ capture: true });
  });
  afterAll(() => lab?.close());

  /** One change to the form of `page`, as the fields it would send. */
  const formBody = (
    page: BrowserPage,
    change: boolean,
  ): { action: string; method: string; body: URLSearchParams } => {
    const form = parseForms(page.text, page.url)[0];
    if (!form) throw new Error(`no form on ${page.url}`);
    const fields = form.fields.filter((field) => field.type !== 'submit');
    const values = fields.map((field): [string, string] => [
      field.name,
      field.name === 'username' ? 'alice' : field.name === 'password' ? 'wonderland' : field.value,
    ]);
    if (page.text.includes('name="decision"')) values.push(['decision', 'allow']);
    const target = Math.floor(random() * values.length);
    const how = random();
    if (change && how < 0.4) values[target] = [values[target]?.[0] ?? 'x', pick(ODD_STRINGS)];
    else if (change && how < 0.6) values.splice(target, 1);
    else if (change && how < 0.8) values.push([values[target]?.[0] ?? 'x', pick(ODD_STRINGS)]);
    else if (change)
      values.push([pick(['x', 'csrf', 'decision', 'username', 'client_id']), pick(ODD_STRINGS)]);
    return { action: form.action, method: form.method.toUpperCase(), body: new URLSearchParams(values) };
  };

  /** A flow with `mutation` applied at one point; the page or redirect it ends at. */
  const flow = async (mutation: Mutation): Promise<BrowserPage> => {
    const browser = new MustsBrowser();
    const { params } = await lab.fapiParams();
    if (mutation === 'pushed parameter') params[pick(REQUEST_PARAMETERS)] = pick(ODD_STRINGS);
    const pushed = await lab.par(params);
    if (pushed.status !== 201) {
      expect(pushed.status, pushed.text).toBeGreaterThanOrEqual(400);
      expect(pushed.json?.error, pushed.text).toEqual(expect.any(String));
      return { ...pushed, url: lab.url('/par') };
    }
    let url = lab.authorizeUrl(String(pushed.json?.request_uri));
    if (mutation === 'authorize query') {
      url += `&${pick(REQUEST_PARAMETERS)}=${encodeURIComponent(pick(ODD_STRINGS))}`;
    }
    let page = await browser.follow(await browser.get(url), lab.issuer);
    // Login, then consent: the one change goes into one of the two forms.
    const changedStep = Math.floor(random() * 2);
    for (let step = 0; step < 2 && page.status === 200 && parseForms(page.text, page.url)[0]; step++) {
      const changed = step === changedStep;
      const { action, method, body } = formBody(page, changed && mutation === 'form field');
      const sentWith = changed && mutation === 'form method' ? pick(['GET', 'PUT', 'DELETE']) : method;
      page = await browser.follow(
        sentWith === 'GET'
          ? await browser.request('GET', `${action}?${body.toString()}`)
          : await browser.request(sentWith, action, body),
        lab.issuer,
      );
    }
    return page;
  };

  it('each flow ends at the client (a code or an error) or on a provider page, never a 5xx', async () => {
    const mutations: readonly Mutation[] = [
      'pushed parameter',
      'authorize query',
      'form field',
      'form method',
    ];
    const endings = new Set<string>();
    for (let i = 0; i < 48; i++) {
      const end = await flow(mutations[i % mutations.length] as Mutation);
      if (end.location?.href.startsWith(FAPI_REDIRECT_URI)) {
        const answer = end.location.searchParams;
        // RFC 6749 §4.1.2 / §4.1.2.1: a code, or an error, with the state of the request.
        expect(answer.has('code') || answer.has('error'), end.location.href).toBe(true);
        endings.add(answer.has('code') ? 'code' : `error ${answer.get('error')}`);
      } else {
        expect(end.status, end.text.slice(0, 300)).toBeLessThan(500);
        expect(end.location?.origin ?? lab.issuer, end.location?.href).toBe(lab.issuer);
        endings.add(`page ${end.status}`);
      }
    }
    // The changes reached past the pushed request: some flows still ended with a code.
    expect([...endings]).toContain('code');
  });

  it('keeps serving: a flow without changes gives a code, and the recording exports', async () => {
    const { code } = await lab.fapiCode();
    expect(code).toBeTruthy();
    for (const recording of await lab.recordings()) await lab.expectExports(recording.id);
  });
});
