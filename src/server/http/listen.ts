import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ExpressMessageClasses } from './express-message-classes';

/** A server that is listening, and a way to stop it that lets requests in flight finish. */
export interface Listening {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Listens on host:port (0: any free port); rejects with a clear message when the port is taken.
 * `messages`: the request and response classes of the Express app that handles the requests.
 */
export function listen(
  handler: RequestListener,
  host: string,
  port: number,
  messages?: ExpressMessageClasses,
): Promise<Listening> {
  const server = createServer(
    {
      requestTimeout: 30_000,
      headersTimeout: 20_000,
      ...(messages
        ? { IncomingMessage: messages.IncomingMessage, ServerResponse: messages.ServerResponse }
        : {}),
    },
    handler,
  );
  server.keepAliveTimeout = 5_000;
  server.on('clientError', answerUnparsableRequest);
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

/**
 * A request Node cannot even parse (headers or URL over 16 KB, broken syntax) never reaches the app:
 * it still gets an OAuth error body (RFC 6749 §5.2), with the status Node would have sent.
 */
function answerUnparsableRequest(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const timeout = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  const status = tooLarge
    ? '431 Request Header Fields Too Large'
    : timeout
      ? '408 Request Timeout'
      : '400 Bad Request';
  const body = JSON.stringify({
    error: 'invalid_request',
    error_description: tooLarge
      ? 'the request line or headers are too large'
      : 'the request could not be parsed',
  });
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nCache-Control: no-store\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The host part of a URL for an address: IPv6 literals in brackets (RFC 3986 §3.2.2). */
export const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);
