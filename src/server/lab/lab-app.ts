import { join } from 'node:path';
import express, { type Express, type RequestHandler, type Router } from 'express';
import { LAB_API_PREFIX } from '../../common/lab-api';
import type { Logger } from '../server-options';
import { apiSecurityHeaders, hostGuard, requireSecret, uiSecurityHeaders } from './lab-api-security';
import { labErrorHandler } from './lab-error-handler';

export interface LabAppOptions {
  api: Router;
  secret: string;
  allowedHosts: () => readonly string[];
  issuer: () => string;
  /** The lab's own origin (`http://127.0.0.1:PORT`), where the lab UI runs; empty until it listens. */
  labOrigin: () => string;
  logger: Logger;
  /** The built lab UI (web mode); absent: the lab API only. */
  rendererDir?: string;
}

/**
 * The lab origin: the lab API and, in web mode, the lab UI. Its own port, never the provider's; no
 * CORS headers at all, so no other origin can read from it.
 */
export function createLabApp({
  api,
  secret,
  allowedHosts,
  issuer,
  labOrigin,
  logger,
  rendererDir,
}: LabAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(hostGuard(allowedHosts));
  app.use(LAB_API_PREFIX, apiSecurityHeaders, requireSecret(secret), api);

  if (rendererDir) {
    const index = join(rendererDir, 'index.html');
    app.use(toLabOrigin(labOrigin, allowedHosts));
    app.use(uiSecurityHeaders(issuer));
    app.use(express.static(rendererDir, { index: 'index.html', fallthrough: true, dotfiles: 'ignore' }));
    // Client-side routes, and the demo client's redirect_uri (/callback), load the app itself.
    app.use((req, res, next) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      if (req.path !== '/callback' && !req.accepts('html')) return next();
      res.sendFile(index, (error) => error && next(error));
    });
  }

  app.use((_req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.status(404).json({ error: 'not_found', error_description: 'nothing here' });
  });
  // Every error of the lab origin: the lab API's, those of the routes mounted beside it (the
  // scenario routes), the UI's files.
  app.use(labErrorHandler(logger));
  return app;
}

/**
 * The lab UI works on the lab's origin only: its demo clients' redirect URI (/callback) is registered
 * there, and the popup's callback page talks to the UI only within one origin. Opened under another
 * of the lab's loopback names (`http://localhost:PORT/`, which the Host guard lets in), every demo
 * flow ended on the provider's error page, the UI waiting for its popup. Such a page load is sent to
 * the lab's origin; the browser keeps the URL's fragment, and with it the secret (RFC 9110 §10.2.2).
 */
function toLabOrigin(labOrigin: () => string, allowedHosts: () => readonly string[]): RequestHandler {
  return (req, res, next) => {
    const origin = labOrigin();
    if (!origin || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    const host = new URL(origin).host;
    // A lab listening beyond loopback (--host 0.0.0.0) has an origin the Host guard would refuse.
    if (req.headers.host?.toLowerCase() === host || !allowedHosts().includes(host)) return next();
    res.redirect(308, `${origin}${req.originalUrl}`);
  };
}
