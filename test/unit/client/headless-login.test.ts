import { describe, expect, it } from 'vitest';
import { CookieJar } from '../../../src/client/cookie-jar';
import { HeadlessLoginError, loginHeadless } from '../../../src/client/headless-login';
import type { FetchLike } from '../../../src/client/http';

const REDIRECT_URI = 'https://rp.example/callback';

/**
 * A fake provider's interaction pages: /authorize → 303 /login (sets a session cookie) → form POST
 * (needs the cookie and the hidden csrf) → 303 /consent → form POST decision → 303 redirect_uri.
 */
function fakePages() {
  const log: string[] = [];
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input);
    const method = init.method ?? 'GET';
    const headers = new Headers(init.headers);
    const body = new URLSearchParams(typeof init.body === 'string' ? init.body : '');
    log.push(`${method} ${url.pathname}`);
    expect(init.redirect).toBe('manual');
    const redirect = (location: string, setCookie?: string) => {
      const h = new Headers({ Location: location });
      if (setCookie) h.append('Set-Cookie', setCookie);
      return new Response(null, { status: 303, headers: h });
    };
    const html = (text: string) =>
      new Response(text, { status: 200, headers: { 'content-type': 'text/html' } });
    const cookie = headers.get('cookie') ?? '';

    if (url.pathname === '/authorize')
      return redirect('/interaction/i1/login', 'sid=s-123; Path=/interaction; HttpOnly');
    if (url.pathname === '/interaction/i1/login' && method === 'GET') {
      if (!cookie.includes('sid=s-123')) return html('<p>session lost</p>');
      return html(`<form method="post" action="submit">
        <input type="hidden" name="csrf" value="t&amp;1">
        <input name="username"><input type="password" name="password">
        <button type="submit">Sign in</button></form>`);
    }
    if (url.pathname === '/interaction/i1/submit') {
      if (!cookie.includes('sid=s-123') || body.get('csrf') !== 't&1')
        return new Response('forbidden', { status: 403 });
      if (body.get('username') !== 'alice' || body.get('password') !== 'wonderland') {
        return html(`<p>Wrong password</p><form method="post" action="submit"><input name="username">
          <input type="password" name="password"></form>`);
      }
      return redirect('/interaction/i1/consent');
    }
    if (url.pathname === '/interaction/i1/consent' && method === 'GET') {
      return html(`<form method="post" action="/interaction/i1/decide"><input type="hidden" name="csrf" value="t2">
        <button type="submit" name="decision" value="allow">Allow</button>
        <button type="submit" name="decision" value="deny">Deny</button></form>`);
    }
    if (url.pathname === '/interaction/i1/decide') {
      if (body.get('csrf') !== 't2') return new Response('forbidden', { status: 403 });
      return body.get('decision') === 'allow'
        ? redirect(`${REDIRECT_URI}?code=c1&state=s1&iss=https%3A%2F%2Fop.example`)
        : redirect(`${REDIRECT_URI}?error=access_denied&state=s1&iss=https%3A%2F%2Fop.example`);
    }
    return new Response('not found', { status: 404 });
  };
  return { fetch, log };
}

describe('loginHeadless', () => {
  it('follows the redirects, signs in, consents and returns the callback URL', async () => {
    const { fetch, log } = fakePages();
    const callback = await loginHeadless('https://op.example/authorize?client_id=c&request_uri=urn:x', {
      username: 'alice',
      password: 'wonderland',
      consent: 'allow',
      redirectUri: REDIRECT_URI,
      fetch,
    });
    expect(callback).toBe(`${REDIRECT_URI}?code=c1&state=s1&iss=https%3A%2F%2Fop.example`);
    expect(log).toEqual([
      'GET /authorize',
      'GET /interaction/i1/login',
      'POST /interaction/i1/submit',
      'GET /interaction/i1/consent',
      'POST /interaction/i1/decide',
    ]);
  });

  it('submits deny when told to, and returns the error callback', async () => {
    const { fetch } = fakePages();
    const callback = await loginHeadless('https://op.example/authorize', {
      username: 'alice',
      password: 'wonderland',
      consent: 'deny',
      fetch,
    });
    // Without redirectUri it stops at the first redirect off the provider's origin.
    expect(new URL(callback).searchParams.get('error')).toBe('access_denied');
  });

  it('stops with an error when the login is refused instead of looping', async () => {
    const { fetch } = fakePages();
    await expect(
      loginHeadless('https://op.example/authorize', { username: 'alice', password: 'nope', fetch }),
    ).rejects.toThrow(/login was refused.*Wrong password/);
  });

  it('stops with an error on a non-200 page', async () => {
    const fetch: FetchLike = async () => new Response('<h1>invalid_request</h1>', { status: 400 });
    const attempt = loginHeadless('https://op.example/authorize', { username: 'a', password: 'b', fetch });
    await expect(attempt).rejects.toBeInstanceOf(HeadlessLoginError);
    await expect(attempt).rejects.toThrow(/400: invalid_request/);
  });

  it('gives up on a redirect loop', async () => {
    const fetch: FetchLike = async () => new Response(null, { status: 303, headers: { Location: '/again' } });
    await expect(
      loginHeadless('https://op.example/authorize', { username: 'a', password: 'b', fetch, maxRequests: 5 }),
    ).rejects.toThrow(/after 5 requests/);
  });
});

describe('CookieJar', () => {
  it('sends cookies back to the same host under their path, and forgets expired ones', () => {
    const jar = new CookieJar();
    const headers = new Headers();
    headers.append('Set-Cookie', 'a=1; Path=/; HttpOnly');
    headers.append('Set-Cookie', 'b=2; Path=/interaction');
    jar.storeFrom('https://op.example/authorize', headers);
    expect(jar.headerFor('https://op.example/interaction/x')).toBe('a=1; b=2');
    expect(jar.headerFor('https://op.example/token')).toBe('a=1');
    expect(jar.headerFor('https://op.example/interactionx')).toBe('a=1');
    expect(jar.headerFor('https://other.example/')).toBeUndefined();
    jar.store('op.example', '/', 'a=gone; Path=/; Max-Age=0');
    expect(jar.headerFor('https://op.example/token')).toBeUndefined();
  });
});
