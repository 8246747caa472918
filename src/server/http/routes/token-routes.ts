import { Router, type Request, type Response } from 'express';
import { introspect } from '../../application/introspect';
import type { ProviderContext } from '../../application/provider-context';
import { pushAuthorizationRequest } from '../../application/push-authorization-request';
import { revoke } from '../../application/revoke';
import { handleTokenRequest } from '../../application/token/token-endpoint';
import { userinfo } from '../../application/userinfo';
import { cors } from '../cors';
import { endpointRequest } from '../endpoint-request';
import { parseForm, requireForm } from '../form-body';
import { sendJson } from '../json-response';
import { methodNotAllowed } from '../method-not-allowed';
import { noStore } from '../security-headers';

/** RFC 9126 §2.1, RFC 6749 §3.2, RFC 7009 §2.1, RFC 7662 §2.1: these endpoints accept POST only. */
const postOnly = methodNotAllowed('POST');

/**
 * The endpoints clients call directly (with fetch, from a server or a browser): JSON in and out. The
 * PAR, token, introspection and revocation handlers run synchronously, from the parsed form to the
 * answer (Express passes what they throw to the error handler).
 */
export function tokenRoutes(ctx: ProviderContext): Router {
  const router = Router();
  const form = [cors, noStore, parseForm, requireForm];

  router.post('/par', ...form, (req, res) => {
    // RFC 9126 §2.2: 201 Created.
    sendJson(res, pushAuthorizationRequest(ctx, endpointRequest(ctx.issuer, req)), 201);
  });
  router.all('/par', cors, postOnly);

  router.post('/token', ...form, (req, res) => {
    sendJson(res, handleTokenRequest(ctx, endpointRequest(ctx.issuer, req)));
  });
  router.all('/token', cors, postOnly);

  router.post('/introspect', ...form, (req, res) => {
    sendJson(res, introspect(ctx, endpointRequest(ctx.issuer, req)));
  });
  router.all('/introspect', cors, postOnly);

  router.post('/revoke', ...form, (req, res) => {
    revoke(ctx, endpointRequest(ctx.issuer, req));
    res.status(200).end();
  });
  router.all('/revoke', cors, postOnly);

  // OpenID Connect Core §5.3.1: GET and POST (the access token may come in a form body, RFC 6750 §2.2).
  const userinfoHandler = (req: Request, res: Response) => {
    sendJson(res, userinfo(ctx, endpointRequest(ctx.issuer, req)));
  };
  router.get('/userinfo', cors, noStore, userinfoHandler);
  router.post('/userinfo', cors, noStore, parseForm, userinfoHandler);
  router.options('/userinfo', cors);
  router.all('/userinfo', cors, methodNotAllowed('GET, HEAD, POST'));

  return router;
}
