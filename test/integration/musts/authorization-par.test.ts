import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAPI_REDIRECT_URI,
  MustsBrowser,
  MustsLab,
  STANDARD_CLIENT_ID,
  STANDARD_REDIRECT_URI,
  expectErrorPage,
  expectJsonPostRefused,
  expectOAuthError,
  pkce,
  send,
} from '../../support/musts-helpers';

/** The authorization endpoint and PAR (FAPI 2.0 SP §5.3.2.2, RFC 9126, RFC 9207, RFC 6749 §4.1). */
describe('MUST: authorization endpoint and PAR', () => {
  let lab: MustsLab;

  beforeAll(async () => {
    lab = await MustsLab.start();
  });
  afterAll(() => lab?.close());

  const frontChannel = (params: Record<string, string>) =>
    lab.url(`/authorize?${new URLSearchParams(params)}`);

  it('response_type other than code is refused at PAR (unsupported_response_type)', async () => {
    for (const response_type of ['token', 'id_token', 'code id_token']) {
      const { params } = await lab.fapiParams({ response_type });
      expectOAuthError(await lab.par(params), 400, 'unsupported_response_type');
    }
    const { params } = await lab.fapiParams({ response_type: undefined });
    expectOAuthError(await lab.par(params), 400, 'invalid_request');
  });

  it('a fapi2 client must use PAR: a plain front-channel request is refused', async () => {
    const { params } = await lab.fapiParams();
    const response = await send(frontChannel(params));
    // The redirect_uri is registered, so the error may go there (RFC 6749 §4.1.2.1) or be shown.
    if (response.location) {
      expect(response.status).toBe(303);
      expect(response.location.href.startsWith(FAPI_REDIRECT_URI)).toBe(true);
      expect(response.location.searchParams.get('error')).toBe('invalid_request');
      expect(response.location.searchParams.get('code')).toBeNull();
    } else expectErrorPage(response, 'invalid_request');
  });

  it('with the server setting on, even a standard client must use PAR', async () => {
    const codes = await pkce();
    const response = await send(
      frontChannel({
        response_type: 'code',
        client_id: STANDARD_CLIENT_ID,
        redirect_uri: STANDARD_REDIRECT_URI,
        scope: 'openid',
        code_challenge: codes.code_challenge,
        code_challenge_method: 'S256',
        state: 's',
      }),
    );
    expect(response.location?.searchParams.get('code') ?? null).toBeNull();
    if (response.location) expect(response.location.searchParams.get('error')).toBe('invalid_request');
    else expectErrorPage(response, 'invalid_request');
  });

  it('PAR without client authentication is refused (401 invalid_client)', async () => {
    const { params } = await lab.fapiParams();
    expectOAuthError(await lab.post('/par', params), 401, 'invalid_client');
  });

  it('PAR of a secret-based client without its secret is refused (401 invalid_client)', async () => {
    const codes = await pkce();
    const response = await lab.post('/par', {
      response_type: 'code',
      client_id: STANDARD_CLIENT_ID,
      redirect_uri: STANDARD_REDIRECT_URI,
      scope: 'openid',
      code_challenge: codes.code_challenge,
      code_challenge_method: 'S256',
    });
    expectOAuthError(response, 401, 'invalid_client');
    const wrongSecret = await lab.post('/par', {
      response_type: 'code',
      redirect_uri: STANDARD_REDIRECT_URI,
      scope: 'openid',
      code_challenge: codes.code_challenge,
      code_challenge_method: 'S256',
      client_id: STANDARD_CLIENT_ID,
      client_secret: 'not-the-secret-of-this-client',
    });
    expectOAuthError(wrongSecret, 401, 'invalid_client');
  });

  it('front-channel parameters beside request_uri are not used: an attacker redirect_uri is ignored', async () => {
    const { params } = await lab.fapiParams({ state: 'pushed-state' });
    const pushed = await lab.par(params);
    const url = new URL(lab.authorizeUrl(pushed.json?.request_uri as string));
    url.searchParams.set('redirect_uri', 'https://attacker.example/cb');
    url.searchParams.set('state', 'front-state');
    const done = await new MustsBrowser().authorize(url.href, lab.issuer);
    expect(done.location?.origin).not.toBe('https://attacker.example');
    if (done.location?.searchParams.get('code')) {
      expect(`${done.location.origin}${done.location.pathname}`).toBe(FAPI_REDIRECT_URI);
      expect(done.location.searchParams.get('state')).toBe('pushed-state');
    } else expect(done.location).toBeUndefined();
  });

  it('a request_uri inside the PAR body is refused', async () => {
    const { params } = await lab.fapiParams({ request_uri: 'urn:ietf:params:oauth:request_uri:abc' });
    expectOAuthError(await lab.par(params), 400, 'invalid_request');
  });

  it('PAR accepts POST only: GET is 405', async () => {
    const response = await lab.get('/par');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('PAR answers 201 with request_uri and expires_in under 600 s', async () => {
    const { params } = await lab.fapiParams();
    const response = await lab.par(params);
    expect(response.status).toBe(201);
    expect(response.json?.request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    expect(response.json?.expires_in).toBeGreaterThan(0);
    expect(response.json?.expires_in).toBeLessThan(600);
  });

  it('a malformed scope at PAR: invalid_scope (RFC 6749 §3.3)', async () => {
    for (const scope of [' ', 'openid  accounts', 'openid accounts ']) {
      const { params } = await lab.fapiParams({ scope });
      expectOAuthError(await lab.par(params), 400, 'invalid_scope');
    }
  });

  it('redirect_uri missing or unregistered at PAR: invalid_request', async () => {
    const missing = await lab.fapiParams({ redirect_uri: undefined });
    expectOAuthError(await lab.par(missing.params), 400, 'invalid_request');
    const unregistered = await lab.fapiParams({ redirect_uri: 'https://attacker.example/cb' });
    expectOAuthError(await lab.par(unregistered.params), 400, 'invalid_request');
  });

  it('redirect_uri missing or unregistered at the authorization endpoint: an error page, never a redirect', async () => {
    const codes = await pkce();
    const base = {
      response_type: 'code',
      client_id: STANDARD_CLIENT_ID,
      scope: 'openid',
      code_challenge: codes.code_challenge,
      code_challenge_method: 'S256',
    };
    expectErrorPage(await send(frontChannel(base)), 'invalid_request');
    expectErrorPage(
      await send(frontChannel({ ...base, redirect_uri: 'https://attacker.example/cb' })),
      'invalid_request',
    );
    expectErrorPage(
      await send(
        frontChannel({ ...base, client_id: lab.fapi.clientId, redirect_uri: 'https://attacker.example/cb' }),
      ),
      'invalid_request',
    );
  });

  it('client_id missing or unknown at the authorization endpoint: an error page naming it, never a redirect', async () => {
    // RFC 6749 §4.1.2.1: without a known client there is no redirection URI to trust.
    const codes = await pkce();
    const request = {
      response_type: 'code',
      scope: 'openid',
      redirect_uri: STANDARD_REDIRECT_URI,
      code_challenge: codes.code_challenge,
      code_challenge_method: 'S256',
      state: 'st',
    };
    const missing = await send(frontChannel(request));
    expectErrorPage(missing, 'invalid_request');
    expect(missing.text).toContain('client_id is required');
    for (const client_id of ['no-such-client', '']) {
      const unknown = await send(frontChannel({ ...request, client_id }));
      expectErrorPage(unknown, 'invalid_request');
      expect(unknown.text).toContain(client_id === '' ? 'client_id is required' : 'client_id is unknown');
    }
    const withRequestUri = await send(
      frontChannel({ client_id: 'no-such-client', request_uri: 'urn:ietf:params:oauth:request_uri:x' }),
    );
    expectErrorPage(withRequestUri, 'invalid_request');
    expect(withRequestUri.text).toContain('client_id is unknown');
  });

  it('an unknown request_uri is refused with an error page', async () => {
    const response = await send(lab.authorizeUrl('urn:ietf:params:oauth:request_uri:unknown-handle-value'));
    expectErrorPage(response, 'invalid_request_uri');
  });

  it('a request_uri expires: usable just before expires_in, refused after', async () => {
    const { params } = await lab.fapiParams();
    const pushed = await lab.par(params);
    const expiresIn = pushed.json?.expires_in as number;
    const requestUri = pushed.json?.request_uri as string;
    lab.clock.advance(expiresIn + 1);
    try {
      expectErrorPage(await send(lab.authorizeUrl(requestUri)), 'invalid_request_uri');
    } finally {
      lab.clock.advance(-(expiresIn + 1));
    }
    const fresh = await lab.par((await lab.fapiParams()).params);
    lab.clock.advance((fresh.json?.expires_in as number) - 5);
    try {
      const page = await new MustsBrowser().follow(
        await new MustsBrowser().get(lab.authorizeUrl(fresh.json?.request_uri as string)),
        lab.issuer,
      );
      expect(page.status).toBe(200);
      expect(page.text).toContain('name="password"');
    } finally {
      lab.clock.advance(-((fresh.json?.expires_in as number) - 5));
    }
  });

  it('a request_uri is bound to its client: another client_id gets invalid_request_uri', async () => {
    const { params } = await lab.fapiParams();
    const pushed = await lab.par(params);
    const response = await send(lab.authorizeUrl(pushed.json?.request_uri as string, STANDARD_CLIENT_ID));
    expectErrorPage(response, 'invalid_request_uri');
    expect(response.location).toBeUndefined();
  });

  it('a request_uri is consumed when the authorization completes, not when the login page loads', async () => {
    const { params } = await lab.fapiParams();
    const pushed = await lab.par(params);
    const url = lab.authorizeUrl(pushed.json?.request_uri as string);
    // Loading the login page twice (a reload, a second tab) does not use it up.
    const first = await new MustsBrowser().follow(await new MustsBrowser().get(url), lab.issuer);
    expect(first.text).toContain('name="password"');
    const browser = new MustsBrowser();
    const done = await browser.authorize(url, lab.issuer);
    expect(done.status).toBe(303);
    expect(done.location?.searchParams.get('code')).toBeTruthy();
    // Once completed, it is spent.
    expectErrorPage(await send(url), 'invalid_request_uri');
    expectErrorPage(await browser.get(url), 'invalid_request_uri');
  });

  it('an interaction opened before completion cannot complete after the request_uri was used', async () => {
    const { params } = await lab.fapiParams();
    const pushed = await lab.par(params);
    const url = lab.authorizeUrl(pushed.json?.request_uri as string);
    const tabA = new MustsBrowser();
    const loginA = await tabA.follow(await tabA.get(url), lab.issuer);
    const done = await new MustsBrowser().authorize(url, lab.issuer);
    expect(done.location?.searchParams.get('code')).toBeTruthy();
    const late = await tabA.authorize(loginA, lab.issuer);
    expect(late.location?.searchParams.get('code') ?? null).toBeNull();
  });

  it('a state of 64+ characters is echoed exactly; iss is in the response; 303 not 307', async () => {
    const state = 'S'.repeat(40) + '-._~' + 'x'.repeat(60);
    const nonce = 'N'.repeat(100) + '-_.~';
    const { response, code } = await lab.fapiCode({ state, nonce });
    expect(response.status).toBe(303);
    expect(response.location?.origin + (response.location?.pathname ?? '')).toBe(FAPI_REDIRECT_URI);
    expect(response.location?.searchParams.get('state')).toBe(state);
    expect(response.location?.searchParams.get('iss')).toBe(lab.issuer);
    expect(code.length).toBeGreaterThanOrEqual(22);
  });

  it('a state with CR LF, quotes and non-ASCII is echoed exactly, never splitting the Location header', async () => {
    const state = 'a\r\nSet-Cookie: x=1; "q" <b> é 日本 &amp;=?#'.padEnd(80, 'z');
    const { response } = await lab.fapiCode({ state });
    expect(response.headers.get('set-cookie') ?? '').not.toContain('x=1');
    expect(response.location?.searchParams.get('state')).toBe(state);
  });

  it('nonce of 64+ characters is echoed exactly in the ID token', async () => {
    const nonce = 'n'.repeat(80) + 'Z9-_';
    const tokens = await lab.fapiTokens({ nonce });
    expect(decodeJwt(tokens.id_token as string).nonce).toBe(nonce);
  });

  it('every redirect of the authorization flow is a 303, never a 307 or 302', async () => {
    const { params } = await lab.fapiParams();
    const pushed = await lab.par(params);
    const browser = new MustsBrowser();
    const first = await browser.get(lab.authorizeUrl(pushed.json?.request_uri as string));
    expect(first.status).toBe(303);
    const page = await browser.follow(first, lab.issuer);
    const afterLogin = await browser.submit(page, { username: 'alice', password: 'wonderland' });
    if (afterLogin.status >= 300 && afterLogin.status < 400) expect(afterLogin.status).toBe(303);
    const final = await browser.authorize(afterLogin, lab.issuer);
    expect(final.status).toBe(303);
  });

  it('the login session and CSRF cookies are HttpOnly and not sent on cross-site subrequests (SameSite=Lax)', async () => {
    const { params } = await lab.fapiParams();
    const pushed = await lab.par(params);
    const browser = new MustsBrowser();
    const loginPage = await browser.follow(
      await browser.get(lab.authorizeUrl(pushed.json?.request_uri as string)),
      lab.issuer,
    );
    const afterLogin = await browser.submit(loginPage, { username: 'alice', password: 'wonderland' });
    const cookies = [...loginPage.headers.getSetCookie(), ...afterLogin.headers.getSetCookie()];
    const named = (name: string) => cookies.filter((c) => c.startsWith(`${name}=`));
    expect(named('trusty_csrf')).toHaveLength(1);
    expect(named('trusty_session')).toHaveLength(1);
    for (const cookie of cookies) {
      // RFC 6265 §4.1.2.6 HttpOnly; SameSite as draft-ietf-httpbis-rfc6265bis defines it.
      const attributes = cookie.split(';').map((a) => a.trim().toLowerCase());
      expect(attributes, cookie).toContain('httponly');
      expect(attributes, cookie).toContain('samesite=lax');
    }
  });

  it('no CORS on the authorization endpoint', async () => {
    const { params } = await lab.fapiParams();
    const pushed = await lab.par(params);
    const response = await send(lab.authorizeUrl(pushed.json?.request_uri as string), {
      headers: { Origin: 'https://attacker.example' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await send(lab.url('/authorize'), {
      method: 'OPTIONS',
      headers: { Origin: 'https://attacker.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a user who declines: access_denied at the redirect_uri, with state and iss', async () => {
    const { params } = await lab.fapiParams({ state: 'declined-state' });
    const pushed = await lab.par(params);
    const response = await new MustsBrowser().authorize(
      lab.authorizeUrl(pushed.json?.request_uri as string),
      lab.issuer,
      { username: 'bob', password: 'builder' },
      'deny',
    );
    expect(response.status).toBe(303);
    expect(response.location?.href.startsWith(FAPI_REDIRECT_URI)).toBe(true);
    expect(response.location?.searchParams.get('error')).toBe('access_denied');
    expect(response.location?.searchParams.get('state')).toBe('declined-state');
    expect(response.location?.searchParams.get('iss')).toBe(lab.issuer);
    expect(response.location?.searchParams.get('code')).toBeNull();
  });

  it('prompt=none without a session: login_required at the redirect_uri', async () => {
    const { params } = await lab.fapiParams({ prompt: 'none', state: 'pn' });
    const pushed = await lab.par(params);
    const response = await send(lab.authorizeUrl(pushed.json?.request_uri as string));
    expect(response.status).toBe(303);
    expect(response.location?.searchParams.get('error')).toBe('login_required');
    expect(response.location?.searchParams.get('state')).toBe('pn');
    expect(response.location?.searchParams.get('iss')).toBe(lab.issuer);
  });

  it('max_age: a session older than max_age logs in again; auth_time is in the ID token', async () => {
    const browser = new MustsBrowser();
    const dpopKey = await lab.dpopKey();
    const first = await lab.fapiCode({}, { browser });
    const firstTokens = await lab.redeemFapiCode(first.code, first.pkce.code_verifier, dpopKey);
    expect(firstTokens.status).toBe(200);
    lab.clock.advance(30);
    // Fresh enough: no login page.
    const fresh = await lab.fapiCode({ max_age: '60' }, { browser });
    const freshTokens = await lab.redeemFapiCode(fresh.code, fresh.pkce.code_verifier, dpopKey);
    const idToken = decodeJwt(freshTokens.json?.id_token as string);
    // OpenID Connect Core §2: auth_time is required when max_age was used; the login was 30 s ago.
    expect(idToken.auth_time).toBe(lab.clock.seconds() - 30);
    // Too old: the login page again.
    const { params } = await lab.fapiParams({ max_age: '10' });
    const pushed = await lab.par(params);
    const page = await browser.follow(
      await browser.get(lab.authorizeUrl(pushed.json?.request_uri as string)),
      lab.issuer,
    );
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="password"');
    // And with prompt=none, login_required rather than a page.
    const none = await lab.fapiParams({ max_age: '10', prompt: 'none' });
    const pushedNone = await lab.par(none.params);
    const refused = await browser.get(lab.authorizeUrl(pushedNone.json?.request_uri as string));
    expect(refused.location?.searchParams.get('error')).toBe('login_required');
  });

  it('PKCE: a missing code_challenge is refused at PAR', async () => {
    const { params } = await lab.fapiParams({ code_challenge: undefined, code_challenge_method: undefined });
    expectOAuthError(await lab.par(params), 400, 'invalid_request');
  });

  it('PKCE: plain is refused at PAR, also with a valid-looking challenge', async () => {
    const codes = await pkce();
    const { params } = await lab.fapiParams({
      code_challenge: codes.code_verifier,
      code_challenge_method: 'plain',
    });
    expectOAuthError(await lab.par(params), 400, 'invalid_request');
  });
  it('a POSTed authorization request is read from its form; a body of another type is refused (OIDC Core §3.1.2.1)', async () => {
    const { params } = await lab.fapiParams();
    const request = {
      client_id: lab.fapi.clientId,
      request_uri: (await lab.par(params)).json?.request_uri as string,
    };
    const browser = new MustsBrowser();
    // Form Serialization: the same request as a GET, on to the sign-in.
    const page = await browser.request('POST', lab.url('/authorize'), new URLSearchParams(request));
    expect(page.status, page.text.slice(0, 300)).toBe(303);
    expect(page.location?.pathname).toMatch(/^\/interaction\//);
    await expectJsonPostRefused(lab.url('/authorize'), request);
  });
});
