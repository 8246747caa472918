import express, { type Express, type RequestHandler } from 'express';
import type { LoginThrottle } from '../application/login-throttle';
import type { ProviderContext } from '../application/provider-context';
import { sendJson } from './json-response';
import { oauthErrorHandler } from './oauth-error-response';
import { authorizationRoutes } from './routes/authorization-routes';
import { discoveryRoutes } from './routes/discovery-routes';
import { endSessionRoutes } from './routes/end-session-routes';
import { tokenRoutes } from './routes/token-routes';
import { securityHeaders } from './security-headers';

export interface ProviderAppOptions {
  readonly ctx: ProviderContext;
  readonly throttle: LoginThrottle;
  /** The lab's capture, mounted first so that it sees every request and its checks. */
  readonly capture?: RequestHandler;
  /** Further routers on the same origin (the demo resource server). */
  readonly extraRouters?: readonly express.Router[];
}

/** The provider's HTTP surface: one express app, its endpoints in the order a flow uses them. */
export function createProviderApp(options: ProviderAppOptions): Express {
  const { ctx } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Query strings are parsed flat (repeated names become arrays, rejected by toParameters).
  app.set('query parser', 'simple');
  if (options.capture) app.use(options.capture);
  app.use(securityHeaders);
  app.use(discoveryRoutes(ctx));
  app.use(tokenRoutes(ctx));
  app.use(authorizationRoutes(ctx, options.throttle));
  app.use(endSessionRoutes(ctx));
  for (const router of options.extraRouters ?? []) app.use(router);
  app.use((_req, res) => {
    sendJson(res, { error: 'not_found', error_description: 'no such endpoint' }, 404);
  });
  app.use(oauthErrorHandler(ctx.logger));
  return app;
}
