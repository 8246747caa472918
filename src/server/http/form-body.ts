import type { IncomingMessage } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { invalidRequest } from '../domain/oauth-error';
import { keepRawBody } from './raw-body';

/** Bodies are small: anything larger is refused before it is parsed. */
export const MAX_FORM_BODY = '64kb';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A form body must be UTF-8, raw and once percent-decoded (WHATWG URL, application/x-www-form-urlencoded
 * parsing): bytes that are not are refused as invalid_request, instead of being silently replaced
 * and then failing further on for a reason that hides the real one.
 */
export function isUtf8Form(body: Buffer): boolean {
  try {
    const text = strictUtf8.decode(body);
    // decodeURIComponent throws on a percent-encoded byte sequence that is not UTF-8 (or not %XX).
    if (text.includes('%')) for (const pair of text.split('&')) decodeURIComponent(pair);
    return true;
  } catch {
    return false;
  }
}

function keepAndCheck(req: IncomingMessage, res: unknown, buf: Buffer): void {
  keepRawBody(req, res, buf);
  if (!isUtf8Form(buf)) {
    // body-parser reports an error thrown here as `entity.verify.failed`: a 400 invalid_request.
    throw new Error('the form body is not valid UTF-8');
  }
}

/** application/x-www-form-urlencoded (RFC 6749 §3.2, Appendix B); the raw bytes are kept for the lab. */
export const parseForm = express.urlencoded({
  extended: false,
  limit: MAX_FORM_BODY,
  parameterLimit: 100,
  verify: keepAndCheck,
});

/** RFC 6749 §3.2 (token), RFC 9126 §2.1, RFC 7009 §2.1, RFC 7662 §2.1: a form-encoded POST body. */
export function requireForm(req: Request, _res: Response, next: NextFunction): void {
  if (!req.is('application/x-www-form-urlencoded')) {
    next(invalidRequest('the body must be application/x-www-form-urlencoded', false));
    return;
  }
  next();
}
