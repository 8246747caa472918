import { Router } from 'express';
import { providerMetadata } from '../../application/discovery';
import type { ProviderContext } from '../../application/provider-context';
import { cors } from '../cors';
import { sendJsonText } from '../json-response';
import { methodNotAllowed } from '../method-not-allowed';

/** RFC 7517 §8.5.1, with its charset as for any JSON (RFC 8259 §8.1). */
const JWK_SET_CONTENT_TYPE = 'application/jwk-set+json; charset=utf-8';

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
      sendJsonText(res, document);
    },
  );
  router.options(
    ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/jwks'],
    cors,
  );
  // Serialized again only when the key store gives another set: it keeps the one it gives until a
  // rotation or the end of a retired key's grace.
  let jwks: { set: object; text: string } | undefined;
  router.get('/jwks', cors, (_req, res) => {
    const set = ctx.keys.publicJwks();
    if (jwks?.set !== set) jwks = { set, text: JSON.stringify(set) };
    // Short caching: rotation publishes the next key ahead, so clients see it before it signs.
    res.setHeader('Cache-Control', 'public, max-age=60');
    sendJsonText(res, jwks.text, JWK_SET_CONTENT_TYPE);
  });
  router.all(
    ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/jwks'],
    cors,
    methodNotAllowed('GET, HEAD'),
  );
  return router;
}
