import type { Request, Response } from 'express';
import type { ProviderContext } from '../application/provider-context';
import type { OAuthError } from '../domain/oauth-error';
import { logFaultBehind } from './log-fault';
import { formActionSource, pageCsp, pickLocale, renderErrorPage, type Locale } from './views';

/** The page language: ui_locales (OIDC Core §3.1.2.1), then Accept-Language, then the lab's default. */
export const localeFor = (ctx: ProviderContext, req: Request, uiLocales?: string): Locale =>
  pickLocale(req.headers['accept-language'], uiLocales, ctx.settings.ui_locales);

/** Sends a provider page with its CSP; `redirectTargets` are where its form may end up (after a 303). */
export function sendPage(
  res: Response,
  status: number,
  page: string,
  redirectTargets: readonly string[] = [],
): void {
  // Each target's source made once; a target a CSP cannot express is simply not allowed.
  const sources = redirectTargets.flatMap((target) => {
    try {
      return [formActionSource(target)];
    } catch {
      return [];
    }
  });
  res.setHeader('Content-Security-Policy', pageCsp(sources));
  res.setHeader('Cache-Control', 'no-store');
  res.status(status).type('html').send(page);
}

/** RFC 6749 §4.1.2.1: when the client or redirect_uri cannot be trusted, the user sees the error here. */
export function sendErrorPage(ctx: ProviderContext, req: Request, res: Response, error: OAuthError): void {
  logFaultBehind(ctx.logger, req, error);
  const page = renderErrorPage({
    locale: localeFor(ctx, req),
    error: error.error,
    error_description: error.error_description,
  });
  sendPage(res, error.status >= 400 && error.status < 600 ? error.status : 400, page);
}

/** RFC 9700 §4.11 / FAPI 2.0 SP §5.3.2.2: 303 See Other, so a POSTed form is never re-posted to the client. */
export function seeOther(res: Response, location: string): void {
  res.setHeader('Cache-Control', 'no-store');
  res.redirect(303, location);
}
