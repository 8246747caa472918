import { Router, type Request, type Response } from 'express';
import { endSession, validateEndSessionRequest } from '../../application/end-session';
import type { ProviderContext } from '../../application/provider-context';
import { invalidRequest, isOAuthError } from '../../domain/oauth-error';
import { toParameters } from '../../domain/parameters';
import { withQuery } from '../../domain/redirect-uri';
import { clearCookie, readCookie, SESSION_COOKIE } from '../cookies';
import { csrfToken, isValidCsrf } from '../csrf';
import { parseForm, postedParameters } from '../form-body';
import { localeFor, seeOther, sendErrorPage, sendPage } from '../html-response';
import { methodNotAllowedPage } from '../method-not-allowed';
import { renderLoggedOutPage, renderLogoutConfirmPage, renderStillSignedInPage } from '../views';

/** OpenID Connect RP-Initiated Logout 1.0: ask the user, then end the session and return to the client. */
export function endSessionRoutes(ctx: ProviderContext): Router {
  const router = Router();

  function ask(req: Request, res: Response): void {
    try {
      const params = toParameters(req.method === 'GET' ? req.query : postedParameters(req));
      const request = validateEndSessionRequest(ctx, params);
      const hiddenFields: Record<string, string> = {};
      if (request.client) hiddenFields.client_id = request.client.client_id;
      if (request.post_logout_redirect_uri)
        hiddenFields.post_logout_redirect_uri = request.post_logout_redirect_uri;
      if (request.state !== undefined) hiddenFields.state = request.state;
      if (params.ui_locales) hiddenFields.ui_locales = params.ui_locales;
      const page = renderLogoutConfirmPage({
        locale: localeFor(ctx, req, params.ui_locales),
        clientName: request.client?.metadata.client_name ?? request.client?.client_id,
        action: '/end_session/confirm',
        hiddenFields,
        csrfToken: csrfToken(req, res),
      });
      sendPage(res, 200, page, request.post_logout_redirect_uri ? [request.post_logout_redirect_uri] : []);
    } catch (e) {
      if (isOAuthError(e)) return sendErrorPage(ctx, req, res, e);
      throw e;
    }
  }
  router.get('/end_session', ask);
  router.post('/end_session', parseForm, ask);
  router.all('/end_session', methodNotAllowedPage(ctx, 'GET, HEAD, POST'));

  router.post('/end_session/confirm', parseForm, (req, res) => {
    if (!isValidCsrf(req)) {
      return sendErrorPage(ctx, req, res, invalidRequest('the form could not be verified; try again', false));
    }
    try {
      const { csrf_token: _csrf, decision, ...rest } = toParameters(req.body);
      // The hidden fields are checked again: a form is client input like any other.
      const request = validateEndSessionRequest(ctx, rest);
      if (decision === 'logout') {
        endSession(ctx, readCookie(req, SESSION_COOKIE));
        clearCookie(res, SESSION_COOKIE);
      }
      if (decision === 'logout' && request.post_logout_redirect_uri) {
        return seeOther(res, withQuery(request.post_logout_redirect_uri, { state: request.state }));
      }
      const locale = localeFor(ctx, req, rest.ui_locales);
      sendPage(
        res,
        200,
        decision === 'logout' ? renderLoggedOutPage({ locale }) : renderStillSignedInPage({ locale }),
      );
    } catch (e) {
      if (isOAuthError(e)) return sendErrorPage(ctx, req, res, e);
      throw e;
    }
  });
  router.all('/end_session/confirm', methodNotAllowedPage(ctx, 'POST'));
  return router;
}
