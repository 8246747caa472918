import { Router, type Request, type Response } from 'express';
import type { AuthorizationOutcome, SignedInUser } from '../../application/authorization-outcome';
import {
  beginAuthorization,
  denyAuthorization,
  grantConsent,
  resumeAuthorization,
} from '../../application/authorize';
import { findSession, logIn } from '../../application/login';
import type { LoginThrottle } from '../../application/login-throttle';
import type { ProviderContext } from '../../application/provider-context';
import type { Interaction } from '../../domain/entities';
import { invalidRequest, isOAuthError } from '../../domain/oauth-error';
import { toParameters } from '../../domain/parameters';
import { readCookie, SESSION_COOKIE, setCookie } from '../cookies';
import { csrfToken, isValidCsrf } from '../csrf';
import { parseForm, postedParameters } from '../form-body';
import { localeFor, seeOther, sendErrorPage, sendPage } from '../html-response';
import { methodNotAllowedPage } from '../method-not-allowed';
import { parseSignedInField, SIGNED_IN_FIELD, signedInFieldValue } from '../signed-in-field';
import { renderConsentPage, renderLoginPage } from '../views';

/**
 * The authorization endpoint (RFC 6749 §3.1, GET and POST — OIDC Core §3.1.2.1) and the interaction
 * pages behind it: login and consent. No CORS here: these are navigated to, never fetched.
 */
export function authorizationRoutes(ctx: ProviderContext, throttle: LoginThrottle): Router {
  const router = Router();
  const interactionPath = (id: string) => `/interaction/${encodeURIComponent(id)}`;

  const currentSession = (req: Request) => findSession(ctx, readCookie(req, SESSION_COOKIE));

  const findInteraction = (id: string): Interaction | undefined => {
    const interaction = ctx.repositories.interactions.find(id);
    return interaction && interaction.expiresAt > ctx.clock.now() ? interaction : undefined;
  };

  const redirectTargetOf = (interaction: Interaction) =>
    interaction.params.redirect_uri ? [interaction.params.redirect_uri] : [];

  function respond(req: Request, res: Response, outcome: AuthorizationOutcome): void {
    switch (outcome.kind) {
      case 'error_page':
        return sendErrorPage(ctx, req, res, outcome.error);
      case 'redirect':
        return seeOther(res, outcome.location);
      case 'login':
      case 'consent':
        return seeOther(res, `${ctx.issuer}${interactionPath(outcome.interactionId)}`);
    }
  }

  function showLogin(
    req: Request,
    res: Response,
    interaction: Interaction,
    status = 200,
    extra: {
      username?: string;
      error?: 'invalid_credentials' | 'throttled';
      retryAfterSeconds?: number;
    } = {},
  ): void {
    const client = ctx.clients.find(interaction.clientId);
    const page = renderLoginPage({
      locale: localeFor(ctx, req, interaction.params.ui_locales),
      clientName: client?.metadata.client_name ?? interaction.clientId,
      action: `${interactionPath(interaction.id)}/login`,
      hiddenFields: {},
      csrfToken: csrfToken(req, res),
      username: extra.username ?? interaction.params.login_hint,
      error: extra.error,
      retryAfterSeconds: extra.retryAfterSeconds,
    });
    if (extra.retryAfterSeconds) res.setHeader('Retry-After', String(extra.retryAfterSeconds));
    sendPage(res, status, page, redirectTargetOf(interaction));
  }

  function showConsent(
    req: Request,
    res: Response,
    interaction: Interaction,
    { scopes, signedIn }: { scopes: readonly string[]; signedIn: SignedInUser },
  ): void {
    const client = ctx.clients.find(interaction.clientId);
    const page = renderConsentPage({
      locale: localeFor(ctx, req, interaction.params.ui_locales),
      clientName: client?.metadata.client_name ?? interaction.clientId,
      clientId: interaction.clientId,
      userName: ctx.users.findBySub(signedIn.sub)?.username ?? signedIn.sub,
      scopes: [...scopes],
      action: `${interactionPath(interaction.id)}/consent`,
      hiddenFields: { [SIGNED_IN_FIELD]: signedInFieldValue(signedIn) },
      csrfToken: csrfToken(req, res),
    });
    sendPage(res, 200, page, redirectTargetOf(interaction));
  }

  function authorize(req: Request, res: Response): void {
    let params;
    try {
      params = toParameters(req.method === 'GET' ? req.query : postedParameters(req));
    } catch (e) {
      if (isOAuthError(e)) return sendErrorPage(ctx, req, res, e);
      throw e;
    }
    respond(req, res, beginAuthorization(ctx, params, currentSession(req)));
  }
  // HEAD is a safe method (RFC 9110 §9.2.1), but Express answers it with the GET route, which here
  // runs the authorization: it makes an interaction, and for a signed-in user who has consented it
  // issues a code (in Location) and uses up the pushed request, all for an answer without content.
  // So these pages refuse HEAD, as a method they do not serve.
  router.head('/authorize', methodNotAllowedPage(ctx, 'GET, POST'));
  router.get('/authorize', authorize);
  router.post('/authorize', parseForm, authorize);
  router.all('/authorize', methodNotAllowedPage(ctx, 'GET, POST'));

  const expired = invalidRequest(
    'this sign-in has expired or is unknown; start again from the application',
    false,
  );
  const forged = invalidRequest('the form could not be verified; reload the page and try again', false);

  router.head('/interaction/:id', methodNotAllowedPage(ctx, 'GET'));
  router.get('/interaction/:id', (req, res) => {
    const interaction = findInteraction(req.params.id);
    if (!interaction) return sendErrorPage(ctx, req, res, expired);
    const outcome = resumeAuthorization(ctx, interaction, currentSession(req));
    if (outcome.kind === 'login') return showLogin(req, res, interaction);
    if (outcome.kind === 'consent') return showConsent(req, res, interaction, outcome);
    respond(req, res, outcome);
  });

  router.post('/interaction/:id/login', parseForm, async (req, res) => {
    const interaction = findInteraction(req.params.id);
    if (!interaction) return sendErrorPage(ctx, req, res, expired);
    if (!isValidCsrf(req)) return sendErrorPage(ctx, req, res, forged);
    const body = req.body as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username.slice(0, 255) : '';
    const password = typeof body.password === 'string' ? body.password.slice(0, 1024) : '';
    const result = await logIn(ctx, throttle, interaction, username, password);
    if (result.kind === 'throttled') {
      return showLogin(req, res, interaction, 429, {
        username,
        error: 'throttled',
        retryAfterSeconds: result.retryAfterSeconds,
      });
    }
    if (result.kind === 'invalid_credentials') {
      return showLogin(req, res, interaction, 401, { username, error: 'invalid_credentials' });
    }
    setCookie(res, SESSION_COOKIE, result.sessionId, ctx.settings.session_lifetime);
    const outcome = resumeAuthorization(ctx, result.interaction, result.session);
    if (outcome.kind === 'consent') return showConsent(req, res, result.interaction, outcome);
    respond(req, res, outcome);
  });

  router.post('/interaction/:id/consent', parseForm, (req, res) => {
    const interaction = findInteraction(req.params.id);
    if (!interaction) return sendErrorPage(ctx, req, res, expired);
    if (!isValidCsrf(req)) return sendErrorPage(ctx, req, res, forged);
    const body = req.body as Record<string, unknown>;
    const session = currentSession(req);
    const outcome =
      body.decision === 'allow'
        ? grantConsent(ctx, interaction, session, parseSignedInField(body[SIGNED_IN_FIELD]))
        : denyAuthorization(ctx, interaction);
    if (outcome.kind === 'login') return showLogin(req, res, interaction);
    if (outcome.kind === 'consent') return showConsent(req, res, interaction, outcome);
    respond(req, res, outcome);
  });

  router.all('/interaction/:id', methodNotAllowedPage(ctx, 'GET'));
  router.all(['/interaction/:id/login', '/interaction/:id/consent'], methodNotAllowedPage(ctx, 'POST'));
  return router;
}
