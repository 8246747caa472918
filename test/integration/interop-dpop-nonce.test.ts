import * as oidc from 'openid-client';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server';
import { fapiCodeFlow, fetchAccounts, startFapiLab } from '../support/fapi-client';

/**
 * openid-client, unchanged, against a provider that demands DPoP nonces (RFC 9449 §8): a request
 * whose proof has none is refused with use_dpop_nonce and a DPoP-Nonce header, and the library
 * retries with a new proof (and, at the token endpoint, a new client assertion).
 */
describe('interoperability: openid-client with DPoP nonces required', () => {
  let server: RunningServer;
  let config: oidc.Configuration;
  const redirectUri = 'https://rp.example.com/cb';
  /** Each answer that asked for a nonce: where, and with which error. */
  const nonceDemands: { path: string; status: number; error: string | null }[] = [];
  /** The client assertion of each token request, in order. */
  const tokenAssertions: string[] = [];

  beforeAll(async () => {
    ({ server, config } = await startFapiLab('ES256', { dpop_nonce_required: true }));
    config[oidc.customFetch] = async (url, options) => {
      if (new URL(url).pathname === '/token') {
        const assertion = new URLSearchParams(String(options.body)).get('client_assertion');
        if (assertion) tokenAssertions.push(assertion);
      }
      const response = await fetch(url, options as RequestInit);
      if (response.headers.has('dpop-nonce') && response.status >= 400) {
        const challenge = response.headers.get('www-authenticate');
        const body = challenge ? null : ((await response.clone().json()) as { error?: string });
        nonceDemands.push({
          path: new URL(url).pathname,
          status: response.status,
          error: challenge ? (/error="([^"]+)"/.exec(challenge)?.[1] ?? null) : (body?.error ?? null),
        });
      }
      return response;
    };
  });
  afterAll(() => server?.close());

  it('runs the FAPI 2.0 flow, retrying each request the provider first refuses for its nonce', async () => {
    const dpop = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
    const { tokens } = await fapiCodeFlow(config, dpop, { redirectUri, scope: 'openid profile accounts' });
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    const accounts = await fetchAccounts(config, tokens.access_token, server.issuer, dpop);
    expect(accounts.status).toBe(200);

    // The provider did ask, at PAR (400 use_dpop_nonce, RFC 9449 §8). The library keeps the nonce by
    // origin, and the token endpoint and the resource (one origin here, one nonce source) took it.
    expect(nonceDemands).toEqual([{ path: '/par', status: 400, error: 'use_dpop_nonce' }]);
  });

  it('serves client_credentials, with a fresh assertion on the retry', async () => {
    const dpop = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
    const before = { demands: nonceDemands.length, assertions: tokenAssertions.length };
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'accounts' }, { DPoP: dpop });
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    // A new key has no nonce yet: refused once, then served.
    expect(nonceDemands.slice(before.demands)).toEqual([
      { path: '/token', status: 400, error: 'use_dpop_nonce' },
    ]);
    const [first, retry, ...more] = tokenAssertions.slice(before.assertions);
    expect(more).toEqual([]);
    expect(retry).toBeDefined();
    expect(decodeJwt(retry as string).jti).not.toBe(decodeJwt(first as string).jti);
  });
});
