import { describe, expect, it } from 'vitest';
import { preflightFallbackFetch } from '../../../src/renderer/flow/preflight-fallback-fetch';

function fakeFetch(failWhen: (headers: Record<string, string>) => boolean) {
  const calls: Record<string, string>[] = [];
  const fn = async (_input: string, init: RequestInit) => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    calls.push(headers);
    if (failWhen(headers)) throw new TypeError('Failed to fetch');
    return new Response('{}', { status: 200 });
  };
  return { fn, calls };
}

describe('preflight fallback fetch', () => {
  it('retries a failed GET once without traceparent', async () => {
    const f = fakeFetch((h) => 'traceparent' in h);
    const res = await preflightFallbackFetch(f.fn)('http://as/.well-known/openid-configuration', {
      method: 'GET',
      headers: { traceparent: '00-a-b-01', Accept: 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(f.calls).toEqual([
      { traceparent: '00-a-b-01', Accept: 'application/json' },
      { Accept: 'application/json' },
    ]);
  });

  it('does not retry a POST (it may have reached the server), nor a GET without traceparent', async () => {
    const post = fakeFetch(() => true);
    await expect(
      preflightFallbackFetch(post.fn)('http://as/token', { method: 'POST', headers: { traceparent: 'x' } }),
    ).rejects.toThrow('Failed to fetch');
    expect(post.calls).toHaveLength(1);
    const get = fakeFetch(() => true);
    await expect(
      preflightFallbackFetch(get.fn)('http://as/x', { method: 'GET', headers: {} }),
    ).rejects.toThrow();
    expect(get.calls).toHaveLength(1);
  });

  it('does not retry on errors other than network failures', async () => {
    let n = 0;
    const failing = async () => {
      n++;
      throw new Error('aborted');
    };
    await expect(
      preflightFallbackFetch(failing)('http://as/x', { method: 'GET', headers: { traceparent: 'x' } }),
    ).rejects.toThrow('aborted');
    expect(n).toBe(1);
  });
});
