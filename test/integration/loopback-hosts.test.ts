import { createServer as createNetServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server';
import { startLabServer } from '../support/lab-server';

/** Can this machine listen on the IPv6 loopback address? (Some containers have no IPv6.) */
const ipv6Loopback = await new Promise<boolean>((resolve) => {
  const probe = createNetServer();
  probe.once('error', () => resolve(false));
  probe.listen(0, '::1', () => probe.close(() => resolve(true)));
});

/**
 * The lab on each loopback host `serve --host` takes: its URLs name an IP literal (RFC 8252 §8.3,
 * FAPI 2.0 SP §5.3.2.2), and the demo clients' redirect URIs on the lab UI's origin are registered,
 * so the demo flows start. With `--host ::1` or `--host localhost` the UI's callback was
 * `http://[::1]:PORT/callback` or `http://localhost:PORT/callback`, which no demo client had
 * registered: every demo flow ended on the provider's error page.
 */
describe('the lab on a loopback host', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** The authorization request the lab UI's standard demo client makes. */
  const authorize = (running: RunningServer) => {
    const params = new URLSearchParams({
      client_id: 'demo-standard',
      response_type: 'code',
      scope: 'openid',
      redirect_uri: `${running.labOrigin}/callback`,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      state: 'state-of-the-demo-client',
    });
    return fetch(`${running.issuer}/authorize?${params.toString()}`, { redirect: 'manual' });
  };

  const expectDemoLoginFrom = async (host: string, literals: string[]) => {
    server = await startLabServer(undefined, { host });
    const issuer = new URL(server.issuer);
    expect(literals).toContain(issuer.hostname);
    expect(new URL(server.labOrigin).hostname).toBe(issuer.hostname);

    const response = await authorize(server);
    // To the login (an interaction of the provider's own), not to the page that refuses the request.
    expect(response.status).toBe(303);
    const login = new URL(response.headers.get('location') ?? '', server.issuer);
    expect(login.pathname).toMatch(/^\/interaction\//);
    // The login page, whose CSP lets its form end up at the redirect URI (a [::1] one made it a 500).
    const page = await fetch(login);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/form-action 'self' http/);
    const session = await fetch(`${server.labOrigin}/lab/api/session`, {
      headers: { authorization: `Bearer ${server.labSecret}` },
    });
    expect(await session.json()).toMatchObject({ issuer: server.issuer, labOrigin: server.labOrigin });
  };

  it('--host 127.0.0.1: the demo client reaches the login', () =>
    expectDemoLoginFrom('127.0.0.1', ['127.0.0.1']));

  it('--host localhost: URLs name 127.0.0.1, and the demo client reaches the login', () =>
    expectDemoLoginFrom('localhost', ['127.0.0.1']));

  it('--host 0.0.0.0 (every interface): URLs name 127.0.0.1, and the demo client reaches the login', () =>
    expectDemoLoginFrom('0.0.0.0', ['127.0.0.1']));

  it.skipIf(!ipv6Loopback)('--host ::1: the demo client reaches the login (needs an IPv6 loopback)', () =>
    expectDemoLoginFrom('::1', ['[::1]']),
  );
});
