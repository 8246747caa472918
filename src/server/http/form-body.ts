import express, { type NextFunction, type Request, type Response } from 'express';
import { invalidRequest } from '../domain/oauth-error';
import { keepRawBody } from './raw-body';

/** Bodies are small: anything larger is refused before it is parsed. */
export const MAX_FORM_BODY = '64kb';

/** application/x-www-form-urlencoded (RFC 6749 §3.2, Appendix B); the raw bytes are kept for the lab. */
export const parseForm = express.urlencoded({
  extended: false,
  limit: MAX_FORM_BODY,
  parameterLimit: 100,
  verify: keepRawBody,
});

/** RFC 6749 §3.2 (token), RFC 9126 §2.1, RFC 7009 §2.1, RFC 7662 §2.1: a form-encoded POST body. */
export function requireForm(req: Request, _res: Response, next: NextFunction): void {
  if (!req.is('application/x-www-form-urlencoded')) {
    next(invalidRequest('the body must be application/x-www-form-urlencoded', false));
    return;
  }
  next();
}
