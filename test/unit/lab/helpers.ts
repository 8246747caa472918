import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import type { Express } from 'express';
import type { Exchange } from '../../../src/common/lab-events';

export const openMemoryDb = () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  return db;
};

let n = 0;
/**
 * The request headers of a request that named its span (W3C Trace Context traceparent), as the demo
 * client's requests do: only such a server view merges with a client view.
 */
export const namedSpanHeaders = ({ traceId, spanId }: { traceId: string; spanId: string }) => ({
  'content-type': 'application/x-www-form-urlencoded',
  traceparent: `00-${traceId}-${spanId}-01`,
});

export function makeExchange(overrides: Partial<Exchange> = {}): Exchange {
  n += 1;
  return {
    type: 'exchange',
    id: `ex-${n}`,
    traceId: 'a'.repeat(32),
    spanId: n.toString(16).padStart(16, '0'),
    observer: 'server',
    from: 'client',
    to: 'authorization_server',
    label: 'token',
    method: 'POST',
    url: 'http://127.0.0.1:4000/token?x=1',
    requestHeaders: { 'content-type': 'application/x-www-form-urlencoded' },
    requestBody: 'grant_type=authorization_code&code=abc',
    status: 200,
    responseHeaders: { 'content-type': 'application/json' },
    responseBody: '{"access_token":"opaque","token_type":"DPoP"}',
    startedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
    durationMs: 12.5,
    jwts: [],
    checks: [],
    ...overrides,
  };
}

export async function listen(
  app: Express,
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request with full control over headers (fetch will not let a test set Host). */
export function rawRequest(
  port: number,
  path: string,
  {
    method = 'GET',
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
