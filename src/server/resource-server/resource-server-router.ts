import { Router, type Request } from 'express';
import type { JSONWebKeySet } from 'jose';
import type { ReplayCache } from '../application/ports';
import { verify, type CheckSpec } from '../domain/check';
import type { Clock } from '../domain/clock';
import { dpopAlgorithms } from '../domain/fapi-policy';
import { insufficientScope, invalidToken } from '../domain/oauth-error';
import { parseScope } from '../domain/scope';
import { verifyProtectedResourceRequest } from '../infrastructure/access-token';
import type { DpopNonceSource } from '../infrastructure/dpop';
import { cors } from '../http/cors';
import { sendJson } from '../http/json-response';
import { methodNotAllowed } from '../http/method-not-allowed';
import { noStore } from '../http/security-headers';
import { demoAccountsFor } from './demo-accounts';
import { issuerKeyResolver } from './issuer-key-resolver';
import { SERVER_SIGNING_ALGS } from '../application/server-keys';
import { ALLOWED_FUTURE_SECONDS } from '../application/token-request-dpop';

export interface ResourceServerOptions {
  /** The authorization server it trusts. */
  readonly issuer: string;
  /** Its own identifier: the `aud` its tokens must carry (RFC 9068 §4). */
  readonly audience: string;
  /** The issuer's published JWK Set (what a remote resource server fetches from jwks_uri). */
  readonly jwks: () => JSONWebKeySet;
  readonly clock: Clock;
  readonly replayCache: ReplayCache;
  readonly dpopMaxAgeSeconds: number;
  readonly nonces?: DpopNonceSource;
  /**
   * Whether an access token (by `jti`) is still active at its issuer — what a resource server learns
   * by introspection (RFC 7662) or a revocation feed. Without it, a revoked JWT would be honoured
   * until it expires, and the lab would show revocation that the API ignores.
   */
  readonly isActive: (jti: string) => boolean;
}

const activeCheck: CheckSpec = {
  id: 'resource.access_token.active',
  description: 'The access token has not been revoked at its issuer',
  ref: 'RFC 7009 §2; RFC 7662 §2.2',
};

const scopeCheck: CheckSpec = {
  id: 'resource.scope.accounts',
  description: 'The access token was granted the accounts scope',
  ref: 'RFC 6750 §3.1 (insufficient_scope)',
};

/**
 * A demo protected API, as a third-party resource server would build it: it knows the issuer's
 * public keys and checks the JWT access token (RFC 9068 §4), its audience and expiry, and for a
 * DPoP-bound token the proof, its `ath` and the key binding (RFC 9449 §7); it asks the issuer whether
 * the token was revoked, as it would by introspection.
 */
export function resourceServerRouter(options: ResourceServerOptions): Router {
  const router = Router();
  const keys = issuerKeyResolver(options.jwks);

  const authenticate = (req: Request) =>
    verifyProtectedResourceRequest(
      { method: req.method, url: `${options.issuer}${req.originalUrl}`, headers: req.headers },
      {
        keys,
        issuer: options.issuer,
        audience: options.audience,
        tokenAlgorithms: SERVER_SIGNING_ALGS,
        dpopAlgorithms,
        clock: options.clock,
        replayCache: options.replayCache,
        dpopMaxAgeSeconds: options.dpopMaxAgeSeconds,
        dpopAllowedFutureSeconds: ALLOWED_FUTURE_SECONDS,
        nonces: options.nonces,
      },
    );

  const requireActive = (jti: string, scheme: 'dpop' | 'bearer') =>
    verify(activeCheck, options.isActive(jti), () =>
      invalidToken('the access token was revoked').withHeaders({
        'WWW-Authenticate': `${scheme === 'dpop' ? 'DPoP' : 'Bearer'} error="invalid_token"`,
      }),
    );

  const requireAccountsScope = (scope: string, scheme: 'dpop' | 'bearer') =>
    verify(scopeCheck, parseScope(scope).includes('accounts'), () =>
      insufficientScope('the accounts scope is required').withHeaders({
        'WWW-Authenticate': `${scheme === 'dpop' ? 'DPoP' : 'Bearer'} error="insufficient_scope", scope="accounts"`,
      }),
    );

  router.options('/api/*path', cors);
  router.get('/api/accounts', cors, noStore, (req, res) => {
    const { claims, scheme } = authenticate(req);
    requireActive(claims.jti, scheme);
    requireAccountsScope(claims.scope, scheme);
    sendJson(res, { data: demoAccountsFor(claims.sub) });
  });
  router.get('/api/accounts/:id', cors, noStore, (req, res) => {
    const { claims, scheme } = authenticate(req);
    requireActive(claims.jti, scheme);
    requireAccountsScope(claims.scope, scheme);
    const account = demoAccountsFor(claims.sub).find((a) => a.account_id === req.params.id);
    if (!account) {
      sendJson(res, { error: 'not_found', error_description: 'no such account' }, 404);
      return;
    }
    sendJson(res, { data: account });
  });
  router.all(['/api/accounts', '/api/accounts/:id'], cors, methodNotAllowed('GET, HEAD'));
  return router;
}
