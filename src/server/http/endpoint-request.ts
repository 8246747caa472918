import type { Request } from 'express';
import type { EndpointRequest } from '../application/endpoint-request';

/**
 * The request as the use cases see it. The URL is rebuilt from the issuer, not from the Host header,
 * so that DPoP `htu` is compared with the URI the client was told to use (RFC 9449 §4.3 (9)).
 */
export const endpointRequest = (issuer: string, req: Request): EndpointRequest => ({
  method: req.method,
  url: `${issuer}${req.originalUrl}`,
  headers: req.headers,
  body: req.body,
});
