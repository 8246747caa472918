import { describe, expect, it } from 'vitest';
import { DemoClient } from '../../../src/client/flow';
import { ClientCheckError, OAuthResponseError } from '../../../src/client/errors';
import { createFakeProvider } from './fake-provider';

const REDIRECT_URI = 'https://rp.example/cb';

async function clientAt(issParameterSupported = true) {
  const provider = await createFakeProvider({ issParameterSupported });
  const client = new DemoClient({
    issuer: provider.issuer,
    client_id: 'demo',
    redirect_uri: REDIRECT_URI,
    scope: 'openid',
    mode: 'standard',
    auth: { method: 'client_secret_post', client_secret: 'secret-secret-secret' },
    fetch: provider.fetch,
  });
  const flow = await client.startFlow();
  await client.discover();
  return { client, provider, state: flow.state! };
}

function callback(params: Record<string, string>): string {
  return `${REDIRECT_URI}?${new URLSearchParams(params)}`;
}

describe('handleCallback (RFC 6749 §4.1.2, RFC 9207)', () => {
  it('accepts the right iss and state and keeps the code', async () => {
    const { client, provider, state } = await clientAt();
    const result = await client.handleCallback(callback({ code: 'c1', state, iss: provider.issuer }));
    expect(result.code).toBe('c1');
    expect(client.flow.code).toBe('c1');
    expect(result.checks.map((check) => [check.id, check.outcome])).toEqual([
      ['authorization_response.iss_present', 'passed'],
      ['authorization_response.iss', 'passed'],
      ['authorization_response.state', 'passed'],
      ['authorization_response.code', 'passed'],
    ]);
  });

  it('rejects a wrong iss (mix-up)', async () => {
    const { client, state } = await clientAt();
    const attempt = client.handleCallback(callback({ code: 'c1', state, iss: 'https://evil.example' }));
    await expect(attempt).rejects.toBeInstanceOf(ClientCheckError);
    await expect(attempt).rejects.toMatchObject({
      check: { id: 'authorization_response.iss', ref: 'RFC 9207 §2.4' },
    });
    expect(client.flow.code).toBeUndefined();
  });

  it('rejects a missing iss when the provider advertises it', async () => {
    const { client, state } = await clientAt(true);
    await expect(client.handleCallback(callback({ code: 'c1', state }))).rejects.toMatchObject({
      check: { id: 'authorization_response.iss_present', outcome: 'failed' },
    });
  });

  it('accepts a missing iss when the provider does not advertise it, and records the skip', async () => {
    const { client, state } = await clientAt(false);
    const result = await client.handleCallback(callback({ code: 'c1', state }));
    expect(result.checks[0]).toMatchObject({ id: 'authorization_response.iss', outcome: 'skipped' });
  });

  it('still rejects a wrong iss the provider did not promise', async () => {
    const { client, state } = await clientAt(false);
    await expect(
      client.handleCallback(callback({ code: 'c1', state, iss: 'https://evil.example' })),
    ).rejects.toBeInstanceOf(ClientCheckError);
  });

  it('rejects a response with neither code nor error, or an empty code (RFC 6749 §4.1.2)', async () => {
    for (const code of [undefined, '']) {
      const { client, provider, state } = await clientAt();
      const attempt = client.handleCallback(
        callback({ ...(code === undefined ? {} : { code }), state, iss: provider.issuer }),
      );
      await expect(attempt).rejects.toMatchObject({
        check: { id: 'authorization_response.code', outcome: 'failed' },
      });
      expect(client.flow.code).toBeUndefined();
    }
  });

  it('rejects a wrong or missing state', async () => {
    const { client, provider } = await clientAt();
    await expect(
      client.handleCallback(callback({ code: 'c1', state: 'forged', iss: provider.issuer })),
    ).rejects.toMatchObject({ check: { id: 'authorization_response.state' } });
    await expect(client.handleCallback(callback({ code: 'c1', iss: provider.issuer }))).rejects.toMatchObject(
      {
        check: { id: 'authorization_response.state' },
      },
    );
  });

  it('surfaces an error response from the right issuer', async () => {
    const { client, provider, state } = await clientAt();
    const attempt = client.handleCallback(
      callback({
        error: 'access_denied',
        error_description: 'the user said no',
        state,
        iss: provider.issuer,
      }),
    );
    await expect(attempt).rejects.toBeInstanceOf(OAuthResponseError);
    await expect(attempt).rejects.toMatchObject({
      error: 'access_denied',
      error_description: 'the user said no',
    });
  });

  it('checks iss before trusting an error response', async () => {
    const { client, state } = await clientAt();
    await expect(
      client.handleCallback(callback({ error: 'access_denied', state, iss: 'https://evil.example' })),
    ).rejects.toBeInstanceOf(ClientCheckError);
  });
});
