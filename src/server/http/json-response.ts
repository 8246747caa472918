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
  sendJsonText(res, JSON.stringify(value), JSON_CONTENT_TYPE, status);
}

/**
 * Sends `body`, JSON already serialized, as sendJson does; `contentType` names its media type, with
 * its charset (RFC 8259 §8.1: UTF-8).
 */
export function sendJsonText(
  res: ServerResponse,
  body: string,
  contentType: string = JSON_CONTENT_TYPE,
  status = 200,
): void {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}
