import type { NextFunction, Request, Response } from 'express';
import { invalidRequest, OAuthError, serverError } from '../domain/oauth-error';
import type { Logger } from '../server-options';
import { sendJson } from './json-response';
import { logFault, logFaultBehind } from './log-fault';

/** RFC 6749 §5.2: a JSON error body with the status of the error, and its headers (WWW-Authenticate, DPoP-Nonce). */
export function sendOAuthError(res: Response, error: OAuthError): void {
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.setHeader('Cache-Control', 'no-store');
  sendJson(res, error.toJSON(), error.status);
}

/**
 * The last middleware: every error becomes an OAuth error response. A fault of the server itself is
 * logged (without request data) and answered as a bare server_error — no stack trace ever leaves.
 */
export function oauthErrorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (res.headersSent) {
      res.end();
      return;
    }
    if (err instanceof OAuthError) {
      logFaultBehind(logger, req, err);
      return sendOAuthError(res, err);
    }
    // express's own 400s (a path parameter that is not valid percent-encoding) are bad input too.
    if (typeof err === 'object' && err !== null && (err as { status?: unknown }).status === 400) {
      return sendOAuthError(res, invalidRequest('the request is malformed', false));
    }
    logFault(logger, req, err);
    sendOAuthError(res, serverError());
  };
}
