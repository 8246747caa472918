import type { ClientExchangeReport } from '../common/lab-api';
import { ClientClock } from './clock';
import { ClientProtocolError } from './errors';
import { formatTraceparent, generateSpanId, generateTraceId } from './traceparent';

/** A request as it is about to go on the wire: what the presenter sees and may hold. */
export interface PreparedRequest {
  readonly label: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string | null;
}

export interface SendRequest {
  /** What the request is, for the inspector: `PAR`, `token (authorization_code)`, `userinfo`. */
  label: string;
  method?: string;
  url: string;
  headers?: Record<string, string>;
  /** A form body gets `Content-Type: application/x-www-form-urlencoded`. */
  body?: URLSearchParams | string | null;
  /** `manual` where a redirect is data (the login pages' 303s); `follow` otherwise. */
  redirect?: 'manual' | 'follow';
  /**
   * `reload` to go past the HTTP cache (a browser's): for a JWKS fetched again because it lacked a
   * key, which a cached copy would lack as well.
   */
  cache?: 'reload';
  /**
   * Builds the DPoP proof of this request for a nonce (RFC 9449 §8). With it, a `use_dpop_nonce`
   * answer is retried once with a fresh proof carrying the server's nonce, unless `retryOnDpopNonce`
   * is false (scenarios that want to see the refusal itself).
   */
  dpop?: (nonce: string | undefined) => Promise<string>;
  retryOnDpopNonce?: boolean;
  /**
   * Rebuilds headers and body before a retry: a client assertion must not be sent twice, since the
   * server remembers its `jti` (RFC 7523 §3 (7)) even when it then refuses the request for its nonce.
   */
  renew?: () => Promise<{ headers?: Record<string, string>; body?: URLSearchParams | string | null }>;
  /** Every exchange of this call (a nonce retry makes two) is also pushed here. */
  collect?: ClientExchangeReport[];
}

export interface ClientResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  readonly url: string;
  /** The report of the (last) exchange. */
  readonly report: ClientExchangeReport;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Called before each request is sent; may hold it (the presenter mode) and may replace it. */
export type PresendHook = (
  request: PreparedRequest,
) => Promise<PreparedRequest | void> | PreparedRequest | void;

export interface HttpClientOptions {
  fetch?: FetchLike;
  traceId?: string;
  onExchange?: (report: ClientExchangeReport) => void;
  presend?: PresendHook;
  clock?: ClientClock;
}

/**
 * The one way the demo client talks HTTP: every request gets a `traceparent`, goes through the
 * presend hook, and is reported to the observer with what was sent and what came back.
 */
export class HttpClient {
  traceId: string;
  onExchange: ((report: ClientExchangeReport) => void) | undefined;
  presend: PresendHook | undefined;
  private readonly fetchImpl: FetchLike;
  private readonly clock: ClientClock;
  /** The last DPoP nonce each origin gave (RFC 9449 §8.2: use it until the server provides another). */
  private readonly dpopNonces = new Map<string, string>();

  constructor(options: HttpClientOptions = {}) {
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.traceId = options.traceId ?? generateTraceId();
    this.onExchange = options.onExchange;
    this.presend = options.presend;
    this.clock = options.clock ?? new ClientClock();
  }

  /** A new flow: a new trace id for every request that follows. */
  newTrace(): string {
    this.traceId = generateTraceId();
    return this.traceId;
  }

  dpopNonceFor(url: string): string | undefined {
    return this.dpopNonces.get(new URL(url).origin);
  }

  async send(request: SendRequest): Promise<ClientResponse> {
    const origin = new URL(request.url).origin;
    const first = await this.sendOnce(request, this.dpopNonces.get(origin));
    if (!request.dpop || request.retryOnDpopNonce === false) return first;
    const nonce = first.headers.get('dpop-nonce');
    if (nonce && isUseDpopNonce(first)) {
      // RFC 9449 §8: the server demands a nonce; retry once with a new proof that carries it.
      const renewed = request.renew ? { ...request, ...(await request.renew()) } : request;
      return this.sendOnce(renewed, nonce);
    }
    return first;
  }

  private async sendOnce(request: SendRequest, dpopNonce: string | undefined): Promise<ClientResponse> {
    const spanId = generateSpanId();
    const headers: Record<string, string> = { ...request.headers };
    let body: string | null = null;
    if (request.body instanceof URLSearchParams) {
      body = request.body.toString();
      if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    } else if (typeof request.body === 'string') {
      body = request.body;
    }
    if (request.dpop) headers.DPoP = await request.dpop(dpopNonce);
    headers.traceparent = formatTraceparent(this.traceId, spanId);

    let prepared: PreparedRequest = {
      label: request.label,
      method: request.method ?? (body === null ? 'GET' : 'POST'),
      url: request.url,
      headers,
      body,
    };
    if (this.presend) prepared = (await this.presend(prepared)) ?? prepared;

    const startedAt = this.clock.now();
    const started = Date.now();
    const report: ClientExchangeReport = {
      traceId: this.traceId,
      spanId,
      label: prepared.label,
      method: prepared.method,
      url: prepared.url,
      requestHeaders: prepared.headers,
      requestBody: prepared.body,
      status: null,
      responseHeaders: {},
      responseBody: null,
      startedAt,
      durationMs: 0,
    };

    let response: Response;
    let responseBody: string;
    try {
      response = await this.fetchImpl(prepared.url, {
        method: prepared.method,
        headers: prepared.headers,
        body: prepared.body,
        redirect: request.redirect ?? 'follow',
        ...(request.cache ? { cache: request.cache } : {}),
      });
      responseBody = await response.text();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.emit({ ...report, durationMs: Date.now() - started, transportError: message }, request.collect);
      throw new ClientProtocolError(`${prepared.method} ${prepared.url} failed: ${message}`);
    }

    const finished: ClientExchangeReport = {
      ...report,
      status: response.status,
      responseHeaders: headersToRecord(response.headers),
      responseBody,
      durationMs: Date.now() - started,
    };
    this.emit(finished, request.collect);
    const nonce = response.headers.get('dpop-nonce');
    if (nonce) this.dpopNonces.set(new URL(prepared.url).origin, nonce);
    return {
      status: response.status,
      headers: response.headers,
      body: responseBody,
      url: prepared.url,
      report: finished,
    };
  }

  private emit(report: ClientExchangeReport, collect: ClientExchangeReport[] | undefined): void {
    collect?.push(report);
    try {
      this.onExchange?.(report);
    } catch (e) {
      // An observer's fault must not break the flow it observes.
      console.warn('onExchange observer failed', e instanceof Error ? e.message : e);
    }
  }
}

/** RFC 9449 §8 (token endpoint: 400 `error=use_dpop_nonce`) and §9 (resource: 401 + WWW-Authenticate). */
export function isUseDpopNonce(response: ClientResponse): boolean {
  if (response.status === 401) {
    return /error="?use_dpop_nonce"?/.test(response.headers.get('www-authenticate') ?? '');
  }
  if (response.status !== 400) return false;
  try {
    return (JSON.parse(response.body) as { error?: unknown }).error === 'use_dpop_nonce';
  } catch {
    return false;
  }
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

export function headersToRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = record[name] === undefined ? value : `${record[name]}, ${value}`;
  });
  return record;
}

/**
 * The JSON object a response body holds, or a ClientProtocolError that says plainly which answer was
 * not one. Every body the client parses is specified as a JSON object (OpenID Connect Discovery 1.0
 * §4.2, RFC 6749 §5.1 and §5.2, RFC 9126 §2.2, RFC 7517 §5, RFC 7662 §2.2): `null`, an array or a
 * string parsed, and the caller then failed on a member of it with a TypeError that named nothing.
 */
export function parseJsonObject<T = Record<string, unknown>>(response: ClientResponse): T {
  let value: unknown;
  try {
    value = JSON.parse(response.body);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ClientProtocolError(
      `${response.report.label}: expected a JSON object from ${response.url} (status ${response.status})`,
    );
  }
  return value as T;
}
