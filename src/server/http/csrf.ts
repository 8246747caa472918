import type { Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { newHandle } from '../domain/handles';
import { CSRF_COOKIE, readCookie, setCookie } from './cookies';
import { CSRF_FIELD } from './views';

/**
 * Double-submit CSRF protection for the login, consent and logout forms: the form carries the value
 * of a cookie that another site can neither read nor set.
 */
export function csrfToken(req: Request, res: Response): string {
  const existing = readCookie(req, CSRF_COOKIE);
  if (existing) return existing;
  const token = newHandle(16);
  setCookie(res, CSRF_COOKIE, token);
  return token;
}

export function isValidCsrf(req: Request): boolean {
  const cookie = readCookie(req, CSRF_COOKIE);
  const field = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  if (!cookie || typeof field !== 'string') return false;
  // Lengths in bytes, not characters: timingSafeEqual throws on buffers of different lengths, and a
  // field of the cookie's length in non-ASCII characters is longer in UTF-8.
  const expected = Buffer.from(cookie);
  const presented = Buffer.from(field);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
