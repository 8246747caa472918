import { AsyncResource } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync, type ZlibOptions } from 'node:zlib';
import type { NextFunction, Request, Response } from 'express';
import { invalidRequest, OAuthError } from '../domain/oauth-error';
import { parseFormUrlencoded } from './form-urlencoded';
import { keepRawBody } from './raw-body';

/** Bodies are small: anything larger (decoded) is refused before it is parsed. */
export const MAX_FORM_BODY = 64 * 1024;
/** Far more parameters than any OAuth request carries. */
export const MAX_FORM_PARAMETERS = 100;

const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';
/** RFC 6749 Appendix B: UTF-8. ISO-8859-1 is taken too, as long as the bytes are also UTF-8 (ASCII). */
const ACCEPTED_CHARSETS = new Set(['utf-8', 'iso-8859-1']);

/** RFC 9110 §8.4.1: the content codings a client may compress its body with. */
const CONTENT_DECODERS: Readonly<Record<string, ((body: Buffer, options: ZlibOptions) => Buffer) | null>> = {
  identity: null,
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

const tooLarge = () => new OAuthError('invalid_request', 'the request body is too large', 413);
const tooManyParameters = () => new OAuthError('invalid_request', 'too many parameters', 413);
const unsupportedMedia = (what: string) => new OAuthError('invalid_request', `unsupported body ${what}`, 415);
const notUtf8 = () => invalidRequest('the form body is not valid UTF-8', false);
const malformed = () => invalidRequest('the request body is malformed', false);

/** RFC 9112 §6.3: a request has content when it declares a length or a transfer coding. */
const hasContent = (req: IncomingMessage): boolean =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && /^\d+$/.test(req.headers['content-length']));

/** RFC 9110 §8.3.1: the media type, lowercased, and its charset parameter, unquoted and lowercased. */
function mediaTypeOf(header: string | undefined): { type: string; charset?: string } | undefined {
  if (header === undefined) return undefined;
  const [type = '', ...parameters] = header.split(';');
  let charset: string | undefined;
  for (const parameter of parameters) {
    const equals = parameter.indexOf('=');
    if (equals < 0 || parameter.slice(0, equals).trim().toLowerCase() !== 'charset') continue;
    charset = parameter
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
  }
  return charset === undefined
    ? { type: type.trim().toLowerCase() }
    : { type: type.trim().toLowerCase(), charset };
}

/**
 * Reads the whole body, at most `limit` bytes. On error the rest of the body is read and dropped, so
 * that the answer can go out at once and the connection stays usable.
 */
function readBody(
  req: IncomingMessage,
  limit: number,
  done: (error: OAuthError | undefined, body?: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  let received = 0;
  let settled = false;
  const settle = (error: OAuthError | undefined, body?: Buffer): void => {
    if (settled) return;
    settled = true;
    req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    if (error) req.resume();
    done(error, body);
  };
  const onData = (chunk: Buffer): void => {
    received += chunk.length;
    if (received > limit) settle(tooLarge());
    else chunks.push(chunk);
  };
  const onEnd = (): void =>
    settle(undefined, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received));
  const onError = (): void => settle(malformed());
  const onClose = (): void => {
    if (!req.complete) settle(malformed());
  };
  if (Number(req.headers['content-length']) > limit) {
    settle(tooLarge());
    return;
  }
  req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
}

/**
 * application/x-www-form-urlencoded bodies (RFC 6749 §3.2, Appendix B) into `req.body`; the decoded
 * bytes are kept for the lab. A request without content, or with another media type, is passed on
 * with no body (`requireForm` refuses it where a form is required). Bad input is an OAuth error:
 * 413 too large or too many parameters, 415 an unsupported charset or content coding, 400 bytes that
 * are not UTF-8 or a body cut short.
 */
export function parseForm(
  req: IncomingMessage & { body?: unknown },
  res: ServerResponse,
  next: (error?: unknown) => void,
): void {
  if (!hasContent(req)) {
    next();
    return;
  }
  const mediaType = mediaTypeOf(req.headers['content-type']);
  if (mediaType?.type !== FORM_MEDIA_TYPE) {
    next();
    return;
  }
  if (mediaType.charset !== undefined && !ACCEPTED_CHARSETS.has(mediaType.charset)) {
    next(unsupportedMedia('charset'));
    return;
  }
  const coding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decoder = Object.hasOwn(CONTENT_DECODERS, coding) ? CONTENT_DECODERS[coding] : undefined;
  if (decoder === undefined) {
    next(unsupportedMedia('content coding'));
    return;
  }
  // The body's events come in the socket's async context; what follows runs in the request's, where
  // the lab's check observer lives (withCheckObserver).
  const requestScope = new AsyncResource('TRUSTY_LAB_FORM_BODY');
  readBody(req, MAX_FORM_BODY, (error, received) =>
    requestScope.runInAsyncScope(() => {
      if (error || !received) {
        next(error ?? malformed());
        return;
      }
      let body: Buffer;
      try {
        body = decoder ? decoder(received, { maxOutputLength: MAX_FORM_BODY }) : received;
      } catch (e) {
        // zlib's RangeError: the decoded body would pass the limit; anything else: corrupt data.
        next(e instanceof RangeError ? tooLarge() : malformed());
        return;
      }
      keepRawBody(req, res, body);
      const parsed = parseFormUrlencoded(body, MAX_FORM_PARAMETERS);
      if (!parsed.ok) {
        next(parsed.reason === 'not-utf8' ? notUtf8() : tooManyParameters());
        return;
      }
      req.body = parsed.fields;
      next();
    }),
  );
}

const isForm = (req: IncomingMessage): boolean =>
  mediaTypeOf(req.headers['content-type'])?.type === FORM_MEDIA_TYPE;

/** RFC 6749 §3.2 (token), RFC 9126 §2.1, RFC 7009 §2.1, RFC 7662 §2.1: a form-encoded POST body. */
export function requireForm(req: Request, _res: Response, next: NextFunction): void {
  if (!hasContent(req) || !isForm(req)) {
    next(invalidRequest('the body must be application/x-www-form-urlencoded', false));
    return;
  }
  next();
}

/**
 * The parameters of a POST to an endpoint the browser is sent to, after `parseForm`: the form's
 * fields, or none for an empty body. Such a POST carries its parameters form-serialized (OpenID
 * Connect Core §3.1.2.1 for the authorization endpoint, RP-Initiated Logout 1.0 §2 for logout); a body
 * of another type (JSON, say) is refused rather than read as no parameters at all, which made a
 * logout request lose its id_token_hint and post_logout_redirect_uri without a word.
 */
export function postedParameters(req: Request): unknown {
  if (hasContent(req) && req.headers['content-length'] !== '0' && !isForm(req)) {
    throw invalidRequest(
      'the parameters of a POST must be form-encoded (application/x-www-form-urlencoded)',
      false,
    );
  }
  return req.body;
}
