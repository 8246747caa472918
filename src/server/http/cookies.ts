import type { Request, Response } from 'express';

/** Reads one cookie from the Cookie header (RFC 6265 §5.4); undefined when absent or malformed. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{1,200}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/**
 * Sets a cookie the page scripts cannot read (HttpOnly) and that other sites' subrequests do not
 * carry (SameSite=Lax: top-level navigations — the login popup's redirects — still do).
 */
export function setCookie(res: Response, name: string, value: string, maxAgeSeconds?: number): void {
  const attributes = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (maxAgeSeconds !== undefined) attributes.push(`Max-Age=${maxAgeSeconds}`);
  res.append('Set-Cookie', attributes.join('; '));
}

export function clearCookie(res: Response, name: string): void {
  res.append('Set-Cookie', `${name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
}

export const SESSION_COOKIE = 'trusty_session';
export const CSRF_COOKIE = 'trusty_csrf';
