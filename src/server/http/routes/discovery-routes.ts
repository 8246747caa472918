import { Router } from 'express';
import { providerMetadata } from '../../application/discovery';
import type { ProviderContext } from '../../application/provider-context';
import { cors } from '../cors';

/** OpenID Connect Discovery 1.0 §4, RFC 8414 §3, and the JWK Set (RFC 7517 §5). */
export function discoveryRoutes(ctx: ProviderContext): Router {
  const router = Router();
  // The metadata depends only on the context, fixed for the server's life: serialized once.
  let document: string | undefined;
  router.get(
    ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'],
    cors,
    (_req, res) => {
      document ??= JSON.stringify(providerMetadata(ctx));
      res.setHeader('Cache-Control', 'public, max-age=60');
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.send(document);
    },
  );
  router.options(
    ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/jwks'],
    cors,
  );
  router.get('/jwks', cors, (_req, res) => {
    // Short caching: rotation publishes the next key ahead, so clients see it before it signs.
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.type('application/jwk-set+json').send(JSON.stringify(ctx.keys.publicJwks()));
  });
  return router;
}
