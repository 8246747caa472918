import { afterEach, describe, expect, it } from 'vitest';
import { listen, type Listening } from '../../../src/server/http/listen';
import { rawExchange } from '../../support/raw-http';

let listening: Listening | undefined;
afterEach(async () => {
  await listening?.close();
  listening = undefined;
});

describe('a request that does not arrive in full in time', () => {
  it('gets a 408 whose OAuth error says so, not that it could not be parsed', async () => {
    let reached = false;
    listening = await listen(
      () => {
        reached = true;
      },
      '127.0.0.1',
      0,
      undefined,
      { requestTimeout: 300, headersTimeout: 200, connectionsCheckingInterval: 50, closeGrace: 1_000 },
    );
    // Content-Length promises 10 bytes; 4 come, then nothing.
    const answer = await rawExchange(
      listening.port,
      'POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
        'Content-Length: 10\r\n\r\ngran',
    );
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(head).toMatch(/\r\nContent-Type: application\/json\r\n/);
    expect(JSON.parse(body ?? '')).toStrictEqual({
      error: 'invalid_request',
      error_description: 'the request did not arrive in full in time',
    });
    expect(reached).toBe(true); // the headers had arrived: the app had the request, not its body
  });
});
