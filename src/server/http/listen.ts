import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server that is listening, and a way to stop it that lets requests in flight finish. */
export interface Listening {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on host:port (0: any free port); rejects with a clear message when the port is taken. */
export function listen(handler: RequestListener, host: string, port: number): Promise<Listening> {
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 20_000 }, handler);
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const reason =
        e.code === 'EADDRINUSE'
          ? `port ${port} on ${host} is already in use`
          : e.code === 'EACCES'
            ? `no permission to listen on ${host}:${port}`
            : e.code === 'EADDRNOTAVAIL'
              ? `${host} is not an address of this machine`
              : `cannot listen on ${host}:${port} (${e.code ?? e.message})`;
      reject(new Error(reason));
    });
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve({
        server,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            // Stop accepting; requests in flight finish; idle keep-alive connections are closed now.
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}

/** The host part of a URL for an address: IPv6 literals in brackets (RFC 3986 §3.2.2). */
export const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);
