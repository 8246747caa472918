import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDpopKeyPair } from '../../../src/client';
import { ScenarioContext, type OutgoingRequest } from '../../../src/scenarios/context';
import type { TargetClient } from '../../../src/scenarios/types';

interface Seen {
  readonly proof: Record<string, unknown>;
  readonly assertionJti: unknown;
  readonly body: URLSearchParams;
}

/** A token endpoint that demands its nonce (RFC 9449 §8.1) and, once it has it, answers `answer`. */
async function nonceDemandingServer(answer: { status: number; body: object }) {
  const seen: Seen[] = [];
  const read = async (req: IncomingMessage) => {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    return new URLSearchParams(text);
  };
  const server: Server = createServer((req, res) => {
    void read(req).then((body) => {
      const proof = decodeJwt(String(req.headers.dpop));
      const assertion = body.get('client_assertion');
      seen.push({ proof, assertionJti: assertion ? decodeJwt(assertion).jti : undefined, body });
      res.setHeader('content-type', 'application/json');
      if (proof.nonce !== 'n-1') {
        res.setHeader('dpop-nonce', 'n-1');
        res.writeHead(400).end(JSON.stringify({ error: 'use_dpop_nonce', error_description: 'nonce' }));
        return;
      }
      res.writeHead(answer.status).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function serviceClient(): Promise<TargetClient> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    client_id: 'service',
    token_endpoint_auth_method: 'private_key_jwt',
    private_jwks: [{ ...(await exportJWK(privateKey)), alg: 'ES256', kid: 'k1' }],
  };
}

describe('a scenario request to a provider that demands a DPoP nonce', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('is sent once more with the nonce in a new proof, a new client assertion, and its edits applied once', async () => {
    const provider = await nonceDemandingServer({ status: 200, body: { access_token: 'at' } });
    close = provider.close;
    const ctx = new ScenarioContext({ issuer: provider.url, clients: {}, users: [] }, undefined);
    let intercepted = 0;
    ctx.intercept = (request) => {
      intercepted += 1;
      request.params.push(['extra', 'x']);
    };
    const key = await generateDpopKeyPair('ES256');
    const request: OutgoingRequest = {
      stage: 'token',
      label: 'token',
      method: 'POST',
      url: `${provider.url}/token`,
      params: [['grant_type', 'client_credentials']],
      headers: {},
      auth: { client: await serviceClient() },
      dpop: [{ key }],
    };
    const { observation } = await ctx.send(request);

    expect(observation).toEqual({ status: 200 });
    expect(provider.seen).toHaveLength(2);
    const [first, retry] = provider.seen as [Seen, Seen];
    expect(first.proof.nonce).toBeUndefined();
    expect(retry.proof.nonce).toBe('n-1');
    expect(retry.proof.jti).not.toBe(first.proof.jti);
    // The refused request used up its assertion's jti (RFC 7523 §3 (7)): the retry carries a new one.
    expect(retry.assertionJti).not.toBe(first.assertionJti);
    expect(intercepted).toBe(1);
    expect(retry.body.getAll('extra')).toEqual(['x']);
  });

  it('is not sent again when its proofs carried the nonce already: the answer is the observation', async () => {
    const provider = await nonceDemandingServer({ status: 200, body: {} });
    close = provider.close;
    const ctx = new ScenarioContext({ issuer: provider.url, clients: {}, users: [] }, undefined);
    const key = await generateDpopKeyPair('ES256');
    const request = (): OutgoingRequest => ({
      stage: 'token',
      label: 'token',
      method: 'POST',
      url: `${provider.url}/token`,
      params: [],
      headers: {},
      // A forged nonce: the server refuses it with the nonce the client holds already.
      dpop: [{ key, claims: { nonce: 'forged' } }],
    });
    await ctx.send(request()); // learns n-1 (and is sent again, still forged)
    const before = provider.seen.length;
    const { observation } = await ctx.send(request());
    expect(provider.seen.length - before).toBe(1);
    expect(observation).toMatchObject({ status: 400, error: 'use_dpop_nonce' });
  });
});
