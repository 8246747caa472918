import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import { isIPv4, isIPv6, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ExpressMessageClasses } from './express-message-classes';
import { leastRecentlyServedFirst } from './least-recently-served-first';

/** A server that is listening, and a way to stop it that lets requests in flight finish, for a while. */
export interface Listening {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * How long a client may take to send a request (ms), and how often Node checks (node:http options);
 * and how long the requests in flight may still take once the server closes (`closeGrace`).
 */
export interface RequestTimeouts {
  readonly requestTimeout: number;
  readonly headersTimeout: number;
  readonly connectionsCheckingInterval: number;
  readonly closeGrace: number;
}

/** While closing: how often connections whose responses have been sent since are closed. */
const CLOSE_IDLE_EVERY_MS = 25;

const REQUEST_TIMEOUTS: RequestTimeouts = {
  requestTimeout: 30_000,
  headersTimeout: 20_000,
  connectionsCheckingInterval: 30_000,
  closeGrace: 3_000,
};

/**
 * Listens on host:port (0: any free port); rejects with a clear message when the port is taken.
 * `messages`: the request and response classes of the Express app that handles the requests. The
 * requests read in one turn of the event loop reach `handler` connection served longest ago first.
 */
export function listen(
  handler: RequestListener,
  host: string,
  port: number,
  messages?: ExpressMessageClasses,
  timeouts: RequestTimeouts = REQUEST_TIMEOUTS,
): Promise<Listening> {
  const { closeGrace, ...nodeTimeouts } = timeouts;
  const server = createServer(
    {
      ...nodeTimeouts,
      ...(messages
        ? { IncomingMessage: messages.IncomingMessage, ServerResponse: messages.ServerResponse }
        : {}),
    },
    leastRecentlyServedFirst(handler),
  );
  server.keepAliveTimeout = 5_000;
  server.on('clientError', answerUnparsableRequest);
  server.on('checkExpectation', refuseExpectation);
  server.on('connect', refuseConnect);
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
            // Stop accepting; idle keep-alive connections are closed now, and those of the requests in
            // flight as soon as their responses are sent (Node would keep them for keepAliveTimeout).
            // Requests in flight get `closeGrace` to finish; then what is left is cut off: a response
            // whose client stopped reading it, or one that never ends, would keep the server open for good.
            const idle = setInterval(() => server.closeIdleConnections(), CLOSE_IDLE_EVERY_MS);
            const cutOff = setTimeout(() => server.closeAllConnections(), closeGrace);
            server.close(() => {
              clearInterval(idle);
              clearTimeout(cutOff);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}

const oauthErrorBody = (error_description: string): string =>
  JSON.stringify({ error: 'invalid_request', error_description });

/**
 * An OAuth error (RFC 6749 §5.2) written straight on a connection that Node will not pass to the app.
 * `head`: the request was HEAD, whose response carries the header fields but no content (RFC 9110
 * §9.3.2); Content-Length still says how long the content would have been (§8.6).
 */
function endWithError(socket: Duplex, status: string, error_description: string, head = false): void {
  const body = oauthErrorBody(error_description);
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nCache-Control: no-store\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${head ? '' : body}`,
  );
}

/**
 * Whether the request Node could not parse was a HEAD, as far as the bytes it was parsing show
 * (`rawPacket`, Node's addition to parser errors): they start with the request line when the request
 * came in one piece, as requests mostly do. Bytes that do not show it count as another method.
 */
const wasHead = (error: NodeJS.ErrnoException & { rawPacket?: unknown }): boolean =>
  Buffer.isBuffer(error.rawPacket) && error.rawPacket.subarray(0, 5).toString('latin1') === 'HEAD ';

/**
 * A request Node cannot even parse (headers or URL over 16 KB, broken syntax) never reaches the app,
 * and one whose body does not arrive in full within Node's request timeout is cut off by Node: either
 * way it still gets an OAuth error body, with the status Node would have sent.
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
  endWithError(
    socket,
    status,
    tooLarge
      ? 'the request line or headers are too large'
      : timeout
        ? 'the request did not arrive in full in time'
        : 'the request could not be parsed',
    wasHead(error),
  );
}

/**
 * RFC 9110 §10.1.1: an expectation other than 100-continue is refused with 417. Node would send it
 * with an empty body; here it carries an OAuth error like every other refusal.
 */
function refuseExpectation(_req: IncomingMessage, res: ServerResponse): void {
  const body = oauthErrorBody('the Expect header asks for something this server does not do');
  res.writeHead(417, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * RFC 9110 §9.3.6: CONNECT asks for a tunnel, which this server never opens. Node hands such a request
 * to a 'connect' listener or, without one, closes the connection without a word: 501 instead.
 */
function refuseConnect(_req: IncomingMessage, socket: Duplex): void {
  endWithError(socket, '501 Not Implemented', 'this server does not open tunnels (CONNECT)');
}

/** The host part of a URL for an address: IPv6 literals in brackets (RFC 3986 §3.2.2). */
export const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** `0.0.0.0` or `::` in any of its spellings: every interface, when listened on; no one's address. */
export const isUnspecifiedAddress = (host: string): boolean =>
  (isIPv4(host) && host === '0.0.0.0') || (isIPv6(host) && new URL(`http://[${host}]`).hostname === '[::]');
