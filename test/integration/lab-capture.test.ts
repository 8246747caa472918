import { calculateJwkThumbprint, exportJWK, SignJWT } from 'jose';
import { createHash, randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labApiPaths, type LabSession } from '../../src/common/lab-api';
import { labEventSchemas, type Exchange, type Recording } from '../../src/common/lab-events';
import type { RunningServer } from '../../src/server';
import { fapiCodeFlow, fetchAccounts, startFapiLab, type FapiTestClient } from '../support/fapi-client';

/**
 * The lab over the real provider: a FAPI 2.0 flow driven by openid-client ends up as one recording
 * with PAR, authorize, token, userinfo and resource exchanges and their checks, and a bad DPoP proof
 * shows up as a failed check with its clause.
 */
describe('lab capture over the provider', () => {
  let server: RunningServer;
  let client: FapiTestClient;
  let config: oidc.Configuration;
  const redirectUri = 'https://rp.example.com/cb';

  const lab = async (path: string, init: RequestInit = {}) =>
    fetch(`${server.labOrigin}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${server.labSecret}`, ...(init.headers as Record<string, string>) },
    });

  beforeAll(async () => {
    ({ server, client, config } = await startFapiLab());
  });
  afterAll(() => server?.close());

  it('records the flow, its checks and a failed DPoP check with its clause', async () => {
    const created = await lab(labApiPaths.recordings, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'FAPI flow' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const keyPair = await oidc.randomDPoPKeyPair('ES256');
    const dpop = oidc.getDPoPHandle(config, keyPair);
    const { tokens } = await fapiCodeFlow(config, dpop, {
      redirectUri,
      scope: 'openid profile accounts',
      nonce: oidc.randomNonce(),
    });
    await oidc.fetchUserInfo(config, tokens.access_token, 'bob', { DPoP: dpop });
    const accounts = await fetchAccounts(config, tokens.access_token, server.issuer, dpop);
    expect(accounts.status).toBe(200);

    // A proof for another URL: RFC 9449 §4.3 (9) demands htu match the request.
    const jwk = await exportJWK(keyPair.publicKey);
    const badProof = await new SignJWT({
      htm: 'GET',
      htu: 'http://elsewhere.example/api/accounts',
      jti: randomUUID(),
      ath: createHash('sha256').update(tokens.access_token).digest('base64url'),
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
      .setIssuedAt()
      .sign(keyPair.privateKey);
    const refused = await fetch(`${server.issuer}/api/accounts`, {
      headers: { authorization: `DPoP ${tokens.access_token}`, dpop: badProof },
    });
    expect(refused.status).toBe(401);

    const session = (await (await lab(labApiPaths.session)).json()) as LabSession;
    expect(session.currentRecordingId).toBe(id);

    let recording: Recording | undefined;
    for (let i = 0; i < 50; i++) {
      recording = labEventSchemas().recording.parse(await (await lab(labApiPaths.recording(id))).json());
      if (recording.events.filter((e) => e.type === 'exchange').length >= 7) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const exchanges = recording!.events.filter((e): e is Exchange => e.type === 'exchange');
    const labels = exchanges.map((e) => e.label);
    for (const label of ['PAR', 'authorize', 'token', 'userinfo', 'GET /api/accounts'])
      expect(labels).toContain(label);
    // The login was captured, but the user's password never reaches the lab store.
    expect(labels).toContain('login');
    expect(JSON.stringify(recording)).not.toContain('builder');

    // The PAR that succeeded (a first one may have been answered use_dpop_nonce).
    const par = exchanges.find((e) => e.label === 'PAR' && e.status === 201)!;
    expect(par).toMatchObject({
      from: 'client',
      to: 'authorization_server',
      status: 201,
      observer: 'server',
    });
    expect(par.jwts.map((j) => j.kind)).toEqual(expect.arrayContaining(['client_assertion', 'dpop_proof']));
    expect(par.checks.length).toBeGreaterThan(0);
    const authorize = exchanges.find((e) => e.label === 'authorize')!;
    expect(authorize.from).toBe('browser');
    // The headless browser sends its own traceparent: its pages share the authorize request's trace.
    for (const label of ['interaction', 'login', 'consent']) {
      expect(exchanges.find((e) => e.label === label)).toMatchObject({
        from: 'browser',
        traceId: authorize.traceId,
      });
    }

    const token = exchanges.find((e) => e.label === 'token')!;
    expect(token.checks.every((c) => c.outcome !== 'failed')).toBe(true);
    expect(token.checks.length).toBeGreaterThan(3);
    const issued = token.jwts.find((j) => j.location === 'response.json.access_token');
    expect(issued?.signature.verified).toBe(true);
    expect(token.jwts.find((j) => j.kind === 'dpop_proof')?.signature.verified).toBe(true);
    expect(token.jwts.find((j) => j.kind === 'client_assertion')?.signature.verified).toBe(true);

    const resources = exchanges.filter((e) => e.label === 'GET /api/accounts');
    expect(resources.map((e) => e.to)).toEqual(['resource_server', 'resource_server']);
    const failed = resources[1]!.checks.find((c) => c.outcome === 'failed');
    expect(failed).toBeDefined();
    expect(failed!.ref).toMatch(/RFC 9449 §4\.3/);
    expect(failed!.error?.error).toBeTruthy();
    expect(resources[1]!.status).toBe(401);

    // Each exchange holds its checks to the last, those run after the request waited too (for its form
    // body, for the password hash): check.ts gives them the request's observer again.
    const checkIds = (exchange: Exchange | undefined) => exchange?.checks.map((c) => c.id) ?? [];
    const labelled = (label: string) => exchanges.find((e) => e.label === label);
    expect(checkIds(labelled('login'))).toContain('authorization.redirect_uri.registered');
    expect(checkIds(labelled('consent'))).toContain('authorization.consent.session_user');
    expect(checkIds(token)).toEqual(expect.arrayContaining(['pkce.verifier', 'dpop.jti_unique']));
    expect(checkIds(labelled('userinfo'))).toEqual(
      expect.arrayContaining(['access_token.jwt', 'dpop.ath', 'userinfo.subject']),
    );
    expect(checkIds(resources[0])).toEqual(
      expect.arrayContaining(['access_token.jwt', 'dpop.ath', 'resource.scope.accounts']),
    );

    const har = await lab(`${labApiPaths.recordingExport(id)}?format=har`);
    expect(((await har.json()) as { log: { entries: unknown[] } }).log.entries.length).toBe(exchanges.length);
    // A thumbprint-named key for the embedded jwk, as the inspector shows it.
    expect(token.jwts.find((j) => j.kind === 'dpop_proof')?.signature.key).toContain(
      await calculateJwkThumbprint(jwk),
    );
  });

  it('streams each exchange to an open lab UI with its JWTs verified, and a forged proof refused', async () => {
    const stream = await lab(labApiPaths.events, { headers: { accept: 'text/event-stream' } });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const exchangesRead = (): Exchange[] =>
      text
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => labEventSchemas().labEvent.parse(JSON.parse(line.slice(6))))
        .filter((e): e is Exchange => e.type === 'exchange');
    const readUntil = async (done: (exchanges: Exchange[]) => boolean) => {
      while (!done(exchangesRead())) {
        const read = await reader.read();
        if (read.done) throw new Error('the event stream ended');
        text += decoder.decode(read.value, { stream: true });
      }
      return exchangesRead();
    };

    const keyPair = await oidc.randomDPoPKeyPair('ES256');
    const dpop = oidc.getDPoPHandle(config, keyPair);
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'accounts' }, { DPoP: dpop });
    const resourceUrl = `${server.issuer}/api/accounts`;
    const accounts = await oidc.fetchProtectedResource(
      config,
      tokens.access_token,
      new URL(resourceUrl),
      'GET',
      undefined,
      undefined,
      { DPoP: dpop },
    );
    expect(accounts.status).toBe(200);
    // A well-formed proof signed with another key than the one in its jwk header: RFC 9449 §4.3 (6).
    const other = await oidc.randomDPoPKeyPair('ES256');
    const forged = await new SignJWT({
      htm: 'GET',
      htu: resourceUrl,
      jti: randomUUID(),
      ath: createHash('sha256').update(tokens.access_token).digest('base64url'),
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(keyPair.publicKey) })
      .setIssuedAt()
      .sign(other.privateKey);
    const refused = await fetch(resourceUrl, {
      headers: { authorization: `DPoP ${tokens.access_token}`, dpop: forged },
    });
    expect(refused.status).toBe(401);

    // The stream replays what the lab holds first (the other test's flow): this test's exchanges are
    // told apart by the token and the proofs they carry.
    const read = await readUntil((seen) => seen.some((e) => e.requestHeaders.dpop === forged));
    await reader.cancel();
    const token = read.find((e) => e.label === 'token' && e.responseBody?.includes(tokens.access_token))!;
    const tokenHeader = JSON.parse(Buffer.from(tokens.access_token.split('.')[0]!, 'base64url').toString());
    const thumbprint = await calculateJwkThumbprint(await exportJWK(keyPair.publicKey));
    const signatureOf = (exchange: Exchange, location: string) =>
      exchange.jwts.find((j) => j.location === location)?.signature;
    // Each named by the key that verifies it, as the inspector names keys.
    expect(signatureOf(token, 'request.form.client_assertion')).toEqual({
      verified: true,
      key: `client ${client.clientId} kid ${client.kid}`,
    });
    expect(signatureOf(token, 'request.header.DPoP')).toEqual({
      verified: true,
      key: `embedded jwk ${thumbprint}`,
    });
    expect(signatureOf(token, 'response.json.access_token')).toEqual({
      verified: true,
      key: `server kid ${tokenHeader.kid}`,
    });
    const [served, forgedExchange] = read.filter(
      (e) => e.url === resourceUrl && e.requestHeaders.authorization === `DPoP ${tokens.access_token}`,
    );
    expect(signatureOf(served!, 'request.header.Authorization')).toEqual({
      verified: true,
      key: `server kid ${tokenHeader.kid}`,
    });
    expect(forgedExchange!.status).toBe(401);
    expect(signatureOf(forgedExchange!, 'request.header.DPoP')).toMatchObject({
      verified: false,
      key: `embedded jwk ${thumbprint}`,
    });
  });
});
