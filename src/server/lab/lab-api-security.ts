import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { labUiContentSecurityPolicy } from '../../common/lab-ui-csp';
import { sha256 } from '../domain/sha256';

/** The Host values the lab answers to: loopback names of its own port (DNS rebinding defence). */
export const loopbackHosts = (port: number): string[] => [
  `127.0.0.1:${port}`,
  `localhost:${port}`,
  `[::1]:${port}`,
];

/**
 * Compares two secrets in constant time. Both are hashed first, so neither the length nor the
 * content of the expected secret leaks through timing.
 */
export const secretsMatch = (given: string, expected: string): boolean =>
  timingSafeEqual(sha256(given), sha256(expected));

const jsonError = (status: number, error: string, error_description: string) => ({
  status,
  body: { error, error_description },
});

/**
 * Refuses a request whose Host is not one of the lab's loopback names: a page on an attacker's
 * domain that rebinds its name to 127.0.0.1 still sends its own Host. Also refuses requests whose
 * Origin is another site's (a cross-site form post needs no CORS). Until the port is known, nothing
 * is allowed (fail closed).
 */
export function hostGuard(allowedHosts: () => readonly string[]): RequestHandler {
  return (req, res, next) => {
    const allowed = allowedHosts();
    const host = req.headers.host?.toLowerCase();
    if (!host || !allowed.includes(host)) {
      const { status, body } = jsonError(403, 'forbidden_host', 'this Host is not the lab origin');
      res.status(status).json(body);
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowed.some((h) => origin.toLowerCase() === `http://${h}`)) {
      const { status, body } = jsonError(403, 'forbidden_origin', 'requests from other origins are refused');
      res.status(status).json(body);
      return;
    }
    next();
  };
}

/** Every lab API call carries the per-launch secret: `Authorization: Bearer <secret>`. */
export function requireSecret(secret: string): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match?.[1] || !secretsMatch(match[1], secret)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="trusty-lab"');
      res
        .status(401)
        .json({ error: 'unauthorized', error_description: 'the lab API secret is missing or wrong' });
      return;
    }
    next();
  };
}

/** Headers for lab API responses: not cacheable, not framable, not sniffable, not a document. */
export const apiSecurityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  next();
};

/** The lab UI's headers, with its Content-Security-Policy (the same in the desktop window). */
export function uiSecurityHeaders(issuer: () => string): RequestHandler {
  return (_req, res, next) => {
    let issuerOrigin = '';
    try {
      issuerOrigin = new URL(issuer()).origin;
    } catch {
      issuerOrigin = '';
    }
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Content-Security-Policy', labUiContentSecurityPolicy(issuerOrigin));
    next();
  };
}
