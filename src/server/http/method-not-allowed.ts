import type { Request, RequestHandler, Response } from 'express';
import type { ProviderContext } from '../application/provider-context';
import { OAuthError } from '../domain/oauth-error';
import { sendErrorPage } from './html-response';

/**
 * RFC 9110 §15.5.6: a method the endpoint does not serve is answered 405, with the methods it does
 * serve in Allow (HEAD beside GET: Express answers HEAD with the GET route). Mounted after the
 * endpoint's own routes, for every other method.
 */
const notAllowed = (allow: string): OAuthError =>
  new OAuthError('invalid_request', `this endpoint accepts ${allow} only`, 405);

/** For the endpoints clients call directly: a JSON error (RFC 6749 §5.2). */
export function methodNotAllowed(allow: string): RequestHandler {
  return (_req: Request, res: Response) => {
    res.setHeader('Allow', allow);
    throw notAllowed(allow);
  };
}

/** For the pages a browser is sent to: the error page. */
export function methodNotAllowedPage(ctx: ProviderContext, allow: string): RequestHandler {
  return (req: Request, res: Response) => {
    res.setHeader('Allow', allow);
    sendErrorPage(ctx, req, res, notAllowed(allow));
  };
}
