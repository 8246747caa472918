import type { NextFunction, Request, Response } from 'express';
import { invalidRequest, OAuthError, serverError } from '../domain/oauth-error';
import type { Logger } from '../server-options';

/** RFC 6749 §5.2: a JSON error body with the status of the error, and its headers (WWW-Authenticate, DPoP-Nonce). */
export function sendOAuthError(res: Response, error: OAuthError): void {
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.setHeader('Cache-Control', 'no-store');
  res.status(error.status).json(error.toJSON());
}

interface BodyParserError {
  type?: string;
  status?: number;
}

/** Errors of the body parsers are bad input: a 4xx OAuth error, never a 5xx. */
function fromBodyParser(e: BodyParserError): OAuthError | undefined {
  switch (e.type) {
    case 'entity.too.large':
      return new OAuthError('invalid_request', 'the request body is too large', 413);
    case 'parameters.too.many':
      return new OAuthError('invalid_request', 'too many parameters', 413);
    case 'entity.verify.failed':
      return invalidRequest('the form body is not valid UTF-8', false);
    case 'entity.parse.failed':
    case 'request.size.invalid':
    case 'request.aborted':
      return invalidRequest('the request body is malformed', false);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new OAuthError('invalid_request', 'unsupported body encoding or charset', 415);
    default:
      return undefined;
  }
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
    if (err instanceof OAuthError) return sendOAuthError(res, err);
    const parsed =
      typeof err === 'object' && err !== null ? fromBodyParser(err as BodyParserError) : undefined;
    if (parsed) return sendOAuthError(res, parsed);
    if (typeof err === 'object' && err !== null && (err as BodyParserError).status === 400) {
      return sendOAuthError(res, invalidRequest('the request is malformed', false));
    }
    logger.error('unexpected error', {
      method: req.method,
      path: req.path,
      error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    });
    sendOAuthError(res, serverError());
  };
}
