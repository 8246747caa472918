import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { CheckObserver, CheckResult } from '../domain/check';
import { withCheckObserver } from '../domain/check';
import type { Clock } from '../domain/clock';
import type { Exchange } from '../../common/lab-events';
import { redactPasswordField, redactSessionCookie } from './redact-user-secrets';
import { getRawBody } from '../http/raw-body';
import { captureResponseBody, MAX_CAPTURED_BODY, TRUNCATION_MARKER } from './capture-response';
import { exchangeFrom, exchangeLabel, exchangeTo } from './classify-exchange';
import { newEventId } from './event-ids';
import { newSpanId, newTraceId, parseTraceparent, type TraceContext } from './trace-context';
import { createTraceLinks, redirectKey, requestUriKey } from './trace-links';

export interface CaptureOptions {
  clock: Clock;
  /** Receives each finished exchange (JWTs not decoded yet: that happens when it is looked at). */
  publish(exchange: Exchange): void;
  /** Off: the middleware only calls next(). */
  capture: boolean;
  /** The recording exchanges are filed under now. */
  recordingId(): string;
  /** Exact path → arrow label, for paths the built-in names do not cover. */
  labels?: Readonly<Record<string, string>>;
  /** Told when `publish` throws (the exchange is then dropped); the provider keeps serving. */
  onPublishError?: (error: unknown) => void;
  /**
   * Where the signatures the provider verifies or makes go (CheckObserver.signed), while `watching()`
   * says someone looks at the live events; not asked for otherwise.
   */
  signatures?: { watching(): boolean; witness(jws: string, key: string): void };
}

/** A header value as one string: several values joined (Set-Cookie's one per line), numbers written out. */
const headerText = (name: string, value: string | number | readonly string[]): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'number'
      ? String(value)
      : value.join(name === 'set-cookie' ? '\n' : ', ');

const mayHoldSession = (name: string): boolean => name === 'cookie' || name === 'set-cookie';

/** A header as the exchange keeps it: one string, the session cookie redacted. */
const keptHeaderText = (name: string, value: string | number | readonly string[]): string => {
  const text = headerText(name, value);
  return mayHoldSession(name) ? redactSessionCookie(text) : text;
};

/**
 * The request's headers as the exchange keeps them: one string each, the session cookie redacted.
 * Node's own object, when it is that already (every header a string, no cookie): a request's headers
 * no longer change once its response is over.
 */
function requestHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  // for…in, not Object.entries: Node's header objects have no inherited enumerable names.
  for (const name in headers) {
    if (typeof headers[name] !== 'string' || mayHoldSession(name)) return flatHeaders(headers);
  }
  return headers as Record<string, string>;
}

/**
 * The response's headers, as the exchange keeps them. Not `res.getHeaders()`: the object it makes has
 * no prototype, which V8 keeps as a dictionary, and each walk over one (here, then again for the stored
 * text) sorts its names and looks each up by hash: 1.0 µs against 0.65 for the ten headers of a token
 * response, these and the header block together (a micro-benchmark).
 */
function responseHeaders(res: ServerResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of res.getHeaderNames()) keepHeader(out, name, res.getHeader(name));
  return out;
}

/**
 * Sets a header on a plain object as the exchange keeps it (keptHeaderText), unless it has no value:
 * one named `__proto__` is a header too, not the object's prototype.
 */
function keepHeader(
  headers: Record<string, string>,
  name: string,
  value: string | number | readonly string[] | undefined,
): void {
  if (value === undefined) return;
  const text = keptHeaderText(name, value);
  if (name !== '__proto__') headers[name] = text;
  else
    Object.defineProperty(headers, name, {
      value: text,
      enumerable: true,
      writable: true,
      configurable: true,
    });
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) keepHeader(out, name, headers[name]);
  return out;
}

function requestBodyText(req: Request): string | null {
  const raw = getRawBody(req);
  if (!raw || raw.length === 0) return null;
  if (raw.length <= MAX_CAPTURED_BODY) return redactPasswordField(raw.toString('utf8'));
  return redactPasswordField(raw.subarray(0, MAX_CAPTURED_BODY).toString('utf8')) + TRUNCATION_MARKER;
}

/**
 * The checks of one request, collected until its exchange is built, then let go of.
 *
 * The observer is the request's AsyncLocalStorage store, and Node gives that store to every async
 * resource created while the request is handled, some of which outlive it: the connection's
 * keep-alive Timeout lives until the next response on that connection, and a promise a handler keeps
 * (none on the token path now) as long as it is kept. So the store must reach nothing of the request.
 * Made here, in a scope of its own, it holds only the checks array; an observer made in the
 * middleware's scope shared that scope's closure context (V8 keeps one per scope) and with it req,
 * res and the captured body. Under load that kept every connection's previous request whole: a heap
 * snapshot found 20 requests alive at a time instead of 1, and each scavenge copied 0.72 MB instead
 * of 0.46 MB (client_credentials, capture on).
 */
function collectChecks(signed: CheckObserver['signed']): {
  readonly observer: CheckObserver;
  take(): CheckResult[];
} {
  let checks: CheckResult[] | undefined = [];
  return {
    // A check reported after the exchange was built (a handler still running when the client went
    // away) is dropped, as the exchange has been recorded already.
    observer: { record: (result) => void checks?.push(result), signed },
    take() {
      const taken = checks ?? [];
      checks = undefined;
      return taken;
    },
  };
}

/** Labels worked out, by method and path, at most this many (paths may hold ids: resources, interactions). */
const MAX_REMEMBERED_LABELS = 256;

const pathOf = (url: string): string => {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
};

/**
 * The provider's first middleware: records each request and its response as one Exchange, with every
 * check the handlers ran on it (collected through withCheckObserver, DESIGN.md "The lab event model").
 * Kept cheap on purpose: it copies strings and defers all parsing and JWT work.
 */
export function createCaptureMiddleware({
  clock,
  publish,
  capture,
  recordingId,
  labels,
  onPublishError,
  signatures,
}: CaptureOptions): RequestHandler {
  if (!capture) return (_req, _res, next) => next();
  const links = createTraceLinks();
  // An arrow's label depends on its method and path alone, and finding it tries up to nine patterns:
  // remembered rather than worked out again for each request to the same endpoint.
  const labelsSeen = new Map<string, string>();
  const labelOf = (method: string, path: string): string => {
    const key = `${method} ${path}`;
    let label = labelsSeen.get(key);
    if (label === undefined) {
      label = exchangeLabel(method, path, labels);
      if (labelsSeen.size >= MAX_REMEMBERED_LABELS) labelsSeen.clear();
      labelsSeen.set(key, label);
    }
    return label;
  };

  const traceOf = (req: Request): TraceContext => {
    // W3C Trace Context §3.2: the caller's traceparent names the trace and the caller's span.
    const header = req.headers.traceparent;
    const given = parseTraceparent(Array.isArray(header) ? header[0] : header);
    if (given) return given;
    const url = req.originalUrl;
    let linked = links.find(url);
    if (!linked && url.includes('request_uri=')) {
      const requestUri = new URLSearchParams(url.slice(url.indexOf('?') + 1)).get('request_uri');
      if (requestUri) linked = links.find(requestUriKey(requestUri));
    }
    return { traceId: linked ?? newTraceId(), spanId: newSpanId() };
  };

  const rememberLinks = (exchange: Exchange, base: string): void => {
    const location = exchange.responseHeaders.location;
    const key = location ? redirectKey(location, base) : undefined;
    if (key) links.remember(key, exchange.traceId);
    if (exchange.label === 'PAR' && exchange.status === 201 && exchange.responseBody) {
      // RFC 9126 §2.2: the browser will present this request_uri at the authorization endpoint.
      const match = /"request_uri"\s*:\s*"([^"]+)"/.exec(exchange.responseBody);
      if (match?.[1]) links.remember(requestUriKey(match[1]), exchange.traceId);
    }
  };

  return (req: Request, res: Response, next: NextFunction) => {
    const startedAt = clock.now();
    const started = performance.now();
    const { traceId, spanId } = traceOf(req);
    const checks = collectChecks(signatures?.watching() ? signatures.witness : undefined);
    const body = captureResponseBody(res);
    const method = req.method;
    const url = req.originalUrl;

    // 'close' comes once per response: after 'finish' when it was sent, alone when the connection
    // went away before the response was complete. A listener added with `on`, not `once`: `once`
    // wraps it and removes it again, for a response that emits 'close' once and is then dropped. The
    // flag keeps a second 'close' (emitted by hand) from recording the exchange twice.
    let recorded = false;
    const onDone = (): void => {
      if (recorded) return;
      recorded = true;
      const complete = res.writableFinished;
      const path = pathOf(url);
      // What Express's req.protocol answers without 'trust proxy' (the provider sets none), without its
      // look at the peer's address.
      const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
      const base = `${scheme}://${req.headers.host ?? 'localhost'}`;
      const exchange: Exchange = {
        type: 'exchange',
        id: newEventId(),
        recordingId: recordingId(),
        traceId,
        spanId,
        observer: 'server',
        from: exchangeFrom(method, path, req.headers.accept),
        to: exchangeTo(path),
        label: labelOf(method, path),
        method,
        url: base + url,
        requestHeaders: requestHeaders(req.headers),
        requestBody: requestBodyText(req),
        status: complete || res.headersSent ? res.statusCode : null,
        responseHeaders: responseHeaders(res),
        responseBody: body.take(),
        startedAt,
        durationMs: Math.round((performance.now() - started) * 1000) / 1000,
        jwts: [],
        checks: checks.take(),
      };
      rememberLinks(exchange, base);
      // This runs in the response's 'close' listener, where a throw would end the process: an exchange
      // that cannot be stored (the disk full or read-only under the recordings) is dropped instead.
      try {
        publish(
          complete
            ? exchange
            : { ...exchange, transportError: 'the connection closed before the response was complete' },
        );
      } catch (e) {
        onPublishError?.(e);
      }
    };
    res.on('close', onDone);

    withCheckObserver(checks.observer, next);
  };
}
