import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../server-options';

/**
 * What Express's res.sendFile reports when the request was aborted before the file went out: the
 * client closed the connection, or its sending side of it, which Node takes for the same.
 */
const clientWentAway = (error: unknown): boolean =>
  (error as { code?: unknown } | null)?.code === 'ECONNABORTED';

/**
 * The lab origin's last error handler: a JSON error, never Express's HTML page with the stack trace
 * (DESIGN.md, "Errors"). An error with a 4xx status (a body that is not JSON, or too large) is the
 * caller's fault; a client that went away is not answered; anything else is logged, by its message
 * only, and answered 500 — or, when the response had begun (an export), the connection is closed so
 * that it cannot pass for complete.
 */
export function labErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    if (clientWentAway(error)) {
      // Nobody to answer, and nothing the lab did wrong: a reload or a closed tab while a page loads.
      res.destroy();
      return;
    }
    const status = (error as { status?: unknown }).status;
    const callersFault = typeof status === 'number' && status >= 400 && status < 500;
    if (!callersFault) {
      logger.error('lab API error', { error: error instanceof Error ? error.message : String(error) });
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (callersFault) {
      // Express answers a path whose percent-escapes are not UTF-8 with a URIError; the body parsers
      // fail with errors of their own.
      const what =
        error instanceof URIError
          ? 'the request path could not be decoded'
          : 'the request body could not be read';
      res.status(status).json({ error: 'invalid_request', error_description: what });
      return;
    }
    res
      .status(500)
      .json({ error: 'server_error', error_description: 'the lab could not complete this request' });
  };
}
