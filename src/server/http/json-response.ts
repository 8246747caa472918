import type { ServerResponse } from 'node:http';

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Sends `value` as the JSON body of the response (RFC 8259; RFC 6749 §5.1 for the token endpoint).
 *
 * What express's res.json does for these endpoints, without the rest of res.send: no ETag and no
 * freshness check (the provider disables ETags, and none of its JSON is cacheable), no content-type
 * lookup. Node itself leaves the body out of the answer to a HEAD request.
 */
export function sendJson(res: ServerResponse, value: unknown, status = 200): void {
  const body = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader('Content-Type', JSON_CONTENT_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}
