import type { NextFunction, Request, Response } from 'express';

/**
 * CORS for the endpoints a browser-based client calls with fetch: discovery, JWKS, PAR, token,
 * userinfo, introspection, revocation and the demo API. No credentials (cookies) are ever allowed
 * cross-origin. The authorization endpoint and the login pages get no CORS at all (FAPI 2.0 SP
 * §5.3.2.2: they are navigated to, never fetched).
 */
export function cors(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'DPoP-Nonce, WWW-Authenticate');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, DPoP, traceparent');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
    return;
  }
  next();
}
