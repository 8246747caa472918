import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MustsBrowser,
  MustsLab,
  STANDARD_CLIENT_ID,
  STANDARD_REDIRECT_URI,
  expectErrorPage,
  pkce,
  send,
} from '../../support/musts-helpers';
import { demoConfigObject, labConfig } from '../../support/lab-server';

/**
 * With the server-wide PAR setting off: the standard client may use the front channel, where PKCE and
 * redirect_uri rules then apply (RFC 7636 §4.4.1, RFC 6749 §4.1.2.1); the fapi2 client still must
 * use PAR (FAPI 2.0 SP §5.3.2.2).
 */
describe('MUST: front-channel requests when PAR is not required server-wide', () => {
  let lab: MustsLab;

  beforeAll(async () => {
    lab = await MustsLab.start({ settings: { require_pushed_authorization_requests: false } });
  });
  afterAll(() => lab?.close());

  const standardRequest = async (overrides: Record<string, string | undefined> = {}) => {
    const codes = await pkce();
    const params: Record<string, string | undefined> = {
      response_type: 'code',
      client_id: STANDARD_CLIENT_ID,
      redirect_uri: STANDARD_REDIRECT_URI,
      scope: 'openid',
      code_challenge: codes.code_challenge,
      code_challenge_method: 'S256',
      state: 'front',
      ...overrides,
    };
    const defined = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >;
    return lab.url(`/authorize?${new URLSearchParams(defined)}`);
  };

  it('discovery says PAR is not required server-wide', async () => {
    expect(
      (await lab.get('/.well-known/openid-configuration')).json?.require_pushed_authorization_requests,
    ).toBe(false);
  });

  it('the standard client reaches the login page through the front channel', async () => {
    const browser = new MustsBrowser();
    const page = await browser.follow(await browser.get(await standardRequest()), lab.issuer);
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="password"');
  });

  it('the fapi2 client is still refused without PAR, and gets no code', async () => {
    const { params } = await lab.fapiParams();
    const response = await new MustsBrowser().authorize(
      lab.url(`/authorize?${new URLSearchParams(params)}`),
      lab.issuer,
    );
    expect(response.location?.searchParams.get('code') ?? null).toBeNull();
    if (response.location) expect(response.location.searchParams.get('error')).toBe('invalid_request');
    else expectErrorPage(response, 'invalid_request');
  });

  it('plain PKCE at the front channel: invalid_request at the redirect_uri, with iss and state', async () => {
    const response = await send(await standardRequest({ code_challenge_method: 'plain' }));
    expect(response.status).toBe(303);
    expect(`${response.location?.origin}${response.location?.pathname}`).toBe(STANDARD_REDIRECT_URI);
    expect(response.location?.searchParams.get('error')).toBe('invalid_request');
    expect(response.location?.searchParams.get('state')).toBe('front');
    expect(response.location?.searchParams.get('iss')).toBe(lab.issuer);
  });

  it('a missing code_challenge at the front channel: invalid_request at the redirect_uri', async () => {
    const response = await send(
      await standardRequest({ code_challenge: undefined, code_challenge_method: undefined }),
    );
    expect(response.status).toBe(303);
    expect(response.location?.searchParams.get('error')).toBe('invalid_request');
  });

  it('response_type token at the front channel: unsupported_response_type at the redirect_uri', async () => {
    const response = await send(await standardRequest({ response_type: 'token' }));
    expect(response.status).toBe(303);
    expect(response.location?.searchParams.get('error')).toBe('unsupported_response_type');
    expect(response.location?.hash).toBe('');
  });

  it('redirect_uri unregistered or missing at the front channel: an error page, never a redirect', async () => {
    expectErrorPage(
      await send(await standardRequest({ redirect_uri: 'https://attacker.example/cb' })),
      'invalid_request',
    );
    expectErrorPage(await send(await standardRequest({ redirect_uri: undefined })), 'invalid_request');
    expectErrorPage(
      await send(await standardRequest({ redirect_uri: 'http://127.0.0.1:53000/callback/../x' })),
      'invalid_request',
    );
  });

  it('OIDC Core §6.1, §3.1.2.6: a request object (request=) is refused, not silently used: 303 to the redirect_uri with request_not_supported, state and iss', async () => {
    const response = await send(await standardRequest({ request: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' }));
    expect(response.status).toBe(303);
    expect(`${response.location?.origin}${response.location?.pathname}`).toBe(STANDARD_REDIRECT_URI);
    expect(response.location?.searchParams.get('error')).toBe('request_not_supported');
    expect(response.location?.searchParams.get('state')).toBe('front');
    expect(response.location?.searchParams.get('iss')).toBe(lab.issuer);
    expect(response.location?.searchParams.get('code') ?? null).toBeNull();
  });

  it('the configuration refuses a plain-http, non-loopback redirect URI', () => {
    const base = demoConfigObject();
    const clients = base.clients as Record<string, unknown>[];
    expect(() =>
      labConfig({
        ...base,
        clients: [{ ...clients[0], redirect_uris: ['http://rp.example.com/cb'] }, ...clients.slice(1)],
      }),
    ).toThrow(/loopback/);
  });
});
