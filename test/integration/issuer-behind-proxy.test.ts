import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server';
import { discoverAs, fapiConfig, fetchAccounts, type FapiTestClient } from '../support/fapi-client';
import { startLabServer } from '../support/lab-server';
import { startReverseProxy, type ReverseProxy } from '../support/reverse-proxy';

/**
 * `serve --issuer`: the provider reached under another origin than its own address (here a reverse
 * proxy on another port). Discovery, tokens and DPoP's `htu` (RFC 9449 §4.3 (9): the URI of the
 * request as the client sent it) all use that origin, and openid-client works through it unchanged.
 */
describe('the provider behind a reverse proxy, with the proxy origin as its issuer', () => {
  let server: RunningServer;
  let proxy: ReverseProxy;
  let client: FapiTestClient;
  let proxyOrigin: string;

  beforeAll(async () => {
    // The proxy listens first (its origin is the issuer); where it forwards to is known after.
    proxy = await startReverseProxy();
    proxyOrigin = proxy.origin;
    const setup = await fapiConfig('ES256');
    client = setup.client;
    server = await startLabServer(setup.config, { issuer: proxyOrigin });
    proxy.target = new URL(server.providerOrigin);
  });
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
  });

  it('announces the given issuer, and listens elsewhere', async () => {
    expect(server.issuer).toBe(proxyOrigin);
    expect(server.providerOrigin).not.toBe(proxyOrigin);
    const direct = (await (
      await fetch(`${server.providerOrigin}/.well-known/openid-configuration`)
    ).json()) as {
      issuer: string;
      token_endpoint: string;
    };
    expect(direct).toMatchObject({ issuer: proxyOrigin, token_endpoint: `${proxyOrigin}/token` });
  });

  it('serves openid-client, unchanged, through the proxy: client_credentials with DPoP, then the resource', async () => {
    const config = await discoverAs(client, proxyOrigin);
    const dpop = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'accounts' }, { DPoP: dpop });
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    const accounts = await fetchAccounts(config, tokens.access_token, proxyOrigin, dpop);
    expect(accounts.status).toBe(200);
    // Discovery, the token request and the resource request: all three went through the proxy.
    expect(proxy.forwarded).toBeGreaterThanOrEqual(3);
  });

  it('refuses a DPoP proof whose htu names the address the provider listens on, not its issuer', async () => {
    // The same client, sent straight to the listening address: its proofs name that URL.
    const direct = new oidc.Configuration(
      { issuer: proxyOrigin, token_endpoint: `${server.providerOrigin}/token` },
      client.clientId,
      { token_endpoint_auth_signing_alg: 'ES256' },
      oidc.PrivateKeyJwt({ key: client.privateKey, kid: client.kid }),
    );
    oidc.allowInsecureRequests(direct);
    const dpop = oidc.getDPoPHandle(direct, await oidc.randomDPoPKeyPair('ES256'));
    await expect(
      oidc.clientCredentialsGrant(direct, { scope: 'accounts' }, { DPoP: dpop }),
    ).rejects.toMatchObject({
      error: 'invalid_dpop_proof',
      error_description: expect.stringContaining('htu'),
    });
  });
});
