import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReverseProxy {
  /** Where the proxy listens, e.g. http://127.0.0.1:53124. */
  readonly origin: string;
  /** Requests it has passed on. */
  readonly forwarded: number;
  /** Where it forwards to; requests before this is set get 502. */
  target: URL | undefined;
  close(): Promise<void>;
}

/** A bare reverse proxy on loopback: each request passed on to `target` as it came, the answer sent back. */
export async function startReverseProxy(): Promise<ReverseProxy> {
  let forwarded = 0;
  const server = createServer((req, res) => {
    if (!proxy.target) {
      res.writeHead(502).end();
      return;
    }
    forwarded += 1;
    const upstream = request(
      new URL(req.url ?? '/', proxy.target),
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const proxy: ReverseProxy = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get forwarded() {
      return forwarded;
    },
    target: undefined,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
  return proxy;
}

/** A port free on loopback now (for a server that must be told its port before it starts). */
export async function freeLoopbackPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}
