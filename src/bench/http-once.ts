import { request as httpRequest } from 'node:http';
import type { PreparedRequest } from './closed-loop';

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** One request outside any timed window (set-up, readiness polling); fresh connection each time. */
export function httpOnce(origin: string, prepared: PreparedRequest, timeoutMs = 5000): Promise<HttpAnswer> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: prepared.method,
        path: prepared.path,
        headers: prepared.headers,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(prepared.body);
  });
}
