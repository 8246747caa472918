import type { IncomingMessage } from 'node:http';

/**
 * The raw bytes of a request body, kept by the body parsers' `verify` hook so that the lab can show
 * exactly what was sent (even when parsing then failed).
 */
const rawBodies = new WeakMap<IncomingMessage, Buffer>();

export const keepRawBody = (req: IncomingMessage, _res: unknown, buf: Buffer): void => {
  rawBodies.set(req, buf);
};

export const getRawBody = (req: IncomingMessage): Buffer | undefined => rawBodies.get(req);
