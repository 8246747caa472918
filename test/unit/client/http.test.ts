import { describe, expect, it } from 'vitest';
import type { ClientExchangeReport } from '../../../src/common/lab-api';
import { createDpopProof, generateDpopKeyPair } from '../../../src/client/dpop';
import { ClientProtocolError } from '../../../src/client/errors';
import { HttpClient, parseJsonObject, type FetchLike } from '../../../src/client/http';
import { decodeJwt } from '../../../src/client/jwt-inspect';
import { formatTraceparent, generateTraceId, parseTraceparent } from '../../../src/client/traceparent';

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

function recordingFetch(respond: (url: string, init: RequestInit) => Response) {
  const calls: { url: string; init: RequestInit; headers: Headers }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init, headers: new Headers(init.headers) });
    return respond(url, init);
  };
  return { fetch, calls };
}

describe('traceparent (W3C Trace Context)', () => {
  it('formats version 00, 32-hex trace id, 16-hex span id, flags 01', () => {
    const value = formatTraceparent(generateTraceId(), 'aaaaaaaaaaaaaaaa');
    expect(value).toMatch(TRACEPARENT);
    expect(parseTraceparent(value)?.spanId).toBe('aaaaaaaaaaaaaaaa');
    expect(parseTraceparent(`00-${'0'.repeat(32)}-aaaaaaaaaaaaaaaa-01`)).toBeNull();
  });

  it('one trace id for every request of a flow, a fresh span id per request', async () => {
    const { fetch, calls } = recordingFetch(() => new Response('{}'));
    const http = new HttpClient({ fetch });
    await http.send({ label: 'a', url: 'https://op.example/a' });
    await http.send({ label: 'b', url: 'https://op.example/b' });
    const parsed = calls.map((call) => parseTraceparent(call.headers.get('traceparent') ?? ''));
    expect(parsed[0]?.traceId).toBe(http.traceId);
    expect(parsed[1]?.traceId).toBe(http.traceId);
    expect(parsed[0]?.spanId).not.toBe(parsed[1]?.spanId);

    const previous = http.traceId;
    http.newTrace();
    await http.send({ label: 'c', url: 'https://op.example/c' });
    expect(parseTraceparent(calls[2]!.headers.get('traceparent')!)?.traceId).not.toBe(previous);
  });
});

describe('HttpClient.send', () => {
  it('reports each exchange with what was sent and what came back', async () => {
    const { fetch } = recordingFetch(
      () =>
        new Response('{"ok":true}', {
          status: 201,
          headers: { 'content-type': 'application/json', 'x-a': '1' },
        }),
    );
    const reports: ClientExchangeReport[] = [];
    const http = new HttpClient({ fetch, onExchange: (report) => reports.push(report) });
    const response = await http.send({
      label: 'PAR',
      method: 'POST',
      url: 'https://op.example/par',
      headers: { Accept: 'application/json' },
      body: new URLSearchParams({ client_id: 'c', scope: 'openid' }),
    });
    expect(response.status).toBe(201);
    expect(reports).toHaveLength(1);
    const [report] = reports;
    expect(report).toMatchObject({
      traceId: http.traceId,
      label: 'PAR',
      method: 'POST',
      url: 'https://op.example/par',
      requestBody: 'client_id=c&scope=openid',
      status: 201,
      responseBody: '{"ok":true}',
    });
    expect(report!.requestHeaders['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(report!.requestHeaders.traceparent).toBe(formatTraceparent(http.traceId, report!.spanId));
    expect(report!.responseHeaders['x-a']).toBe('1');
    expect(report!.durationMs).toBeGreaterThanOrEqual(0);
    expect(report!.transportError).toBeUndefined();
  });

  it('reports a transport failure and throws', async () => {
    const reports: ClientExchangeReport[] = [];
    const http = new HttpClient({
      fetch: async () => {
        throw new TypeError('connection refused');
      },
      onExchange: (report) => reports.push(report),
    });
    await expect(http.send({ label: 'x', url: 'https://op.example/' })).rejects.toBeInstanceOf(
      ClientProtocolError,
    );
    expect(reports[0]).toMatchObject({ status: null, transportError: 'connection refused' });
  });

  it('retries once with the server nonce on use_dpop_nonce (RFC 9449 §8)', async () => {
    const keyPair = await generateDpopKeyPair();
    let count = 0;
    const { fetch, calls } = recordingFetch(() =>
      ++count === 1
        ? new Response('{"error":"use_dpop_nonce"}', { status: 400, headers: { 'DPoP-Nonce': 'srv-nonce' } })
        : new Response('{"access_token":"x"}', { status: 200 }),
    );
    const reports: ClientExchangeReport[] = [];
    const http = new HttpClient({ fetch, onExchange: (report) => reports.push(report) });
    const dpop = (nonce: string | undefined) =>
      createDpopProof({ keyPair, htm: 'POST', htu: 'https://op.example/token', nonce });
    const response = await http.send({
      label: 'token',
      method: 'POST',
      url: 'https://op.example/token',
      body: 'a=1',
      dpop,
    });
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(2);
    expect(decodeJwt(calls[0]!.headers.get('dpop')!).payload).not.toHaveProperty('nonce');
    expect(decodeJwt(calls[1]!.headers.get('dpop')!).payload.nonce).toBe('srv-nonce');
    expect(reports.map((report) => report.status)).toEqual([400, 200]);
    expect(reports[0]!.spanId).not.toBe(reports[1]!.spanId);

    // The nonce is remembered for the origin (RFC 9449 §8.2).
    await http.send({ label: 'again', method: 'POST', url: 'https://op.example/token', body: 'a=1', dpop });
    expect(decodeJwt(calls[2]!.headers.get('dpop')!).payload.nonce).toBe('srv-nonce');
  });

  it('rebuilds the body for the retry when asked (a new client assertion)', async () => {
    const keyPair = await generateDpopKeyPair();
    let count = 0;
    const { fetch, calls } = recordingFetch(() =>
      ++count === 1
        ? new Response('{"error":"use_dpop_nonce"}', { status: 400, headers: { 'DPoP-Nonce': 'n' } })
        : new Response('{}', { status: 200 }),
    );
    let built = 0;
    const build = async () => ({ body: new URLSearchParams({ client_assertion: `assertion-${++built}` }) });
    await new HttpClient({ fetch }).send({
      label: 'token',
      method: 'POST',
      url: 'https://op.example/token',
      ...(await build()),
      renew: build,
      dpop: (nonce) => createDpopProof({ keyPair, htm: 'POST', htu: 'https://op.example/token', nonce }),
    });
    expect(calls.map((call) => call.init.body)).toEqual([
      'client_assertion=assertion-1',
      'client_assertion=assertion-2',
    ]);
  });

  it('retries a resource server 401 with WWW-Authenticate use_dpop_nonce, and not when told not to', async () => {
    const keyPair = await generateDpopKeyPair();
    const challenge = () =>
      new Response(null, {
        status: 401,
        headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"', 'DPoP-Nonce': 'rs-nonce' },
      });
    const { fetch, calls } = recordingFetch(challenge);
    const http = new HttpClient({ fetch });
    const dpop = (nonce: string | undefined) =>
      createDpopProof({ keyPair, htm: 'GET', htu: 'https://rs.example/', nonce });
    await http.send({ label: 'rs', url: 'https://rs.example/', dpop });
    expect(calls).toHaveLength(2);
    const second = new HttpClient({ fetch });
    await second.send({ label: 'rs', url: 'https://rs.example/', dpop, retryOnDpopNonce: false });
    expect(calls).toHaveLength(3);
  });

  it('does not retry a plain error without a DPoP proof', async () => {
    const { fetch, calls } = recordingFetch(
      () => new Response('{"error":"use_dpop_nonce"}', { status: 400, headers: { 'DPoP-Nonce': 'n' } }),
    );
    await new HttpClient({ fetch }).send({ label: 'x', url: 'https://op.example/' });
    expect(calls).toHaveLength(1);
  });

  it('holds each request in the presend hook, which may replace it', async () => {
    const { fetch, calls } = recordingFetch(() => new Response('ok'));
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const seen: string[] = [];
    const http = new HttpClient({
      fetch,
      presend: async (request) => {
        seen.push(request.label);
        await held;
        return { ...request, headers: { ...request.headers, 'X-Edited': 'yes' } };
      },
    });
    const sending = http.send({ label: 'token', url: 'https://op.example/' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual(['token']);
    expect(calls).toHaveLength(0);
    release();
    await sending;
    expect(calls[0]!.headers.get('x-edited')).toBe('yes');
  });

  it('survives a throwing observer', async () => {
    const { fetch } = recordingFetch(() => new Response('ok'));
    const http = new HttpClient({
      fetch,
      onExchange: () => {
        throw new Error('observer down');
      },
    });
    await expect(http.send({ label: 'x', url: 'https://op.example/' })).resolves.toMatchObject({
      status: 200,
    });
  });
});

describe('parseJsonObject', () => {
  const answer = async (body: string, status = 200) => {
    const http = new HttpClient({ fetch: async () => new Response(body, { status }) });
    return http.send({ label: 'PAR', url: 'https://op.example/par' });
  };

  it('gives the JSON object a body holds', async () => {
    expect(parseJsonObject(await answer('{"request_uri":"urn:x","expires_in":60}'))).toEqual({
      request_uri: 'urn:x',
      expires_in: 60,
    });
  });

  it('says which answer was no JSON object, for a body that is not JSON or is JSON of another type', async () => {
    for (const body of ['', '{', '<html></html>', 'null', '[]', '"urn:x"', '42', 'true']) {
      const response = await answer(body, 201);
      expect(() => parseJsonObject(response), body).toThrow(ClientProtocolError);
      expect(() => parseJsonObject(response), body).toThrow(
        'PAR: expected a JSON object from https://op.example/par (status 201)',
      );
    }
  });
});
