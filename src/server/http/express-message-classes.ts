import { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';

/**
 * node:http request and response classes whose instances are made with an Express app's prototypes.
 *
 * Express's `app.handle` gives every request and response the app's own prototypes
 * (`Object.setPrototypeOf`). Made by node:http's classes, the objects change shape there, on every
 * request, and under keep-alive load most of what a request allocates then reaches V8's old
 * generation: a bare Express app serving one JSON document promoted about 7.7 KB per request and
 * needed about twice the CPU per request of the same app given these classes (0.04 KB;
 * `--trace-gc-nvp`, docs/benchmark-history.md). Made with the app's prototypes, Express's call has
 * nothing left to change.
 */
export interface ExpressMessageClasses {
  readonly IncomingMessage: typeof IncomingMessage;
  readonly ServerResponse: typeof ServerResponse;
  /** Requests and responses made from now on have `app`'s prototypes (the app may come after the server). */
  adopt(app: Pick<Express, 'request' | 'response'>): void;
}

/**
 * A constructor that can run as a plain function on an object made elsewhere (ES5 style), as
 * node:http's are. A class cannot: its `prototype` cannot be replaced, nor can it be called.
 */
export const runsAsFunction = (constructor: abstract new (...args: never[]) => unknown): boolean =>
  !Function.prototype.toString.call(constructor).startsWith('class');

/**
 * The classes for `http.createServer`'s `IncomingMessage` and `ServerResponse` options, with `app`'s
 * prototypes when given. Undefined when this Node's own classes cannot be extended this way: the
 * server then uses them, as it did without.
 */
export function expressMessageClasses(
  app?: Pick<Express, 'request' | 'response'>,
): ExpressMessageClasses | undefined {
  if (!runsAsFunction(IncomingMessage) || !runsAsFunction(ServerResponse)) return undefined;

  // Function declarations, not classes: their `prototype` is replaced by adopt().
  function AppRequest(this: IncomingMessage, ...args: unknown[]): void {
    Reflect.apply(IncomingMessage, this, args);
  }
  function AppResponse(this: ServerResponse, ...args: unknown[]): void {
    Reflect.apply(ServerResponse, this, args);
  }
  AppRequest.prototype = IncomingMessage.prototype;
  AppResponse.prototype = ServerResponse.prototype;

  const classes: ExpressMessageClasses = {
    IncomingMessage: AppRequest as unknown as typeof IncomingMessage,
    ServerResponse: AppResponse as unknown as typeof ServerResponse,
    adopt(adopted) {
      AppRequest.prototype = adopted.request;
      AppResponse.prototype = adopted.response;
    },
  };
  if (app) classes.adopt(app);
  return classes;
}
