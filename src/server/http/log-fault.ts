import type { Request } from 'express';
import type { OAuthError } from '../domain/oauth-error';
import type { Logger } from '../server-options';

/** A fault of the server, without request data: the method, the path, the error's name and message. */
export function logFault(logger: Logger, req: Request, fault: unknown): void {
  logger.error('unexpected error', {
    method: req.method,
    path: req.path,
    error: fault instanceof Error ? `${fault.name}: ${fault.message}` : describe(fault),
  });
}

/**
 * A fault met inside a check (domain/check.ts) is answered as the server_error it became; the fault
 * it came from, its cause, is logged like any other.
 */
export function logFaultBehind(logger: Logger, req: Request, error: OAuthError): void {
  if (error.status >= 500 && error.cause !== undefined) logFault(logger, req, error.cause);
}

/** String() of a thrown value that may not convert (an object whose toString is not a function). */
function describe(value: unknown): string {
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}
