import type { ServerResponse } from 'node:http';
import { StringDecoder } from 'node:string_decoder';

/** Captured bodies are capped: a lab shows tokens and JSON, not megabytes of HTML. */
export const MAX_CAPTURED_BODY = 64 * 1024;
export const TRUNCATION_MARKER = '\n…[truncated by the lab: body larger than 64 KB]';

export interface CapturedBody {
  /**
   * The body as text, capped; null when nothing was written. Called once, when the response is
   * over: the capture lets go of what it kept then, and keeps nothing written later (see below).
   */
  take(): string | null;
}

const isUtf8 = (encoding: unknown): boolean =>
  encoding === undefined || encoding === 'utf8' || encoding === 'utf-8' || typeof encoding === 'function';

/**
 * Tees what the handlers write to `res` into a bounded text, without changing what the client
 * receives. Only the first MAX_CAPTURED_BODY bytes are kept. A UTF-8 string (what sendJson writes, and
 * res.send for a short body) is kept as it is; bytes (res.send for a body of 1,000 characters or more)
 * are decoded as they come, so the body is never copied into a Buffer of the capture's own (a
 * multi-byte character split between writes is decoded whole).
 *
 * `take` empties what the tee holds: kept there after the exchange was built (the tee stays on the
 * response object), nearly every captured body survived two minor garbage collections and was
 * promoted to V8's old generation — 2.3 of the 3.4 KB a discovery exchange promoted under load
 * (--trace-gc-nvp). Why the response keeps it that long was not found; the wrappers alone, with
 * nothing kept, were promoted as well (0.2 KB).
 */
export function captureResponseBody(res: ServerResponse, limit = MAX_CAPTURED_BODY): CapturedBody {
  const pieces: string[] = [];
  let decoder: StringDecoder | undefined;
  let kept = 0;
  let truncated = false;
  let wrote = false;
  let taken = false;

  /** Bytes the decoder holds (the start of a character) end where a string begins: decoded as is. */
  const settleBytes = (): void => {
    const rest = decoder?.end();
    if (rest) pieces.push(rest);
  };

  const keepBytes = (bytes: Uint8Array): void => {
    const room = limit - kept;
    const fitting = bytes.byteLength > room ? bytes.subarray(0, room) : bytes;
    decoder ??= new StringDecoder('utf8');
    // Decoded now: the caller may reuse its buffer once it is written.
    pieces.push(decoder.write(fitting as Buffer));
    kept += fitting.byteLength;
    if (fitting !== bytes) truncated = true;
  };

  const keep = (chunk: unknown, encoding: unknown): void => {
    // Written after the exchange was recorded (a handler still running when the client went away).
    if (taken) return;
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) return;
    wrote = true;
    if (truncated) return;
    if (typeof chunk !== 'string') {
      keepBytes(chunk);
      return;
    }
    if (isUtf8(encoding)) {
      const bytes = Buffer.byteLength(chunk);
      if (bytes <= limit - kept) {
        settleBytes();
        pieces.push(chunk);
        kept += bytes;
        return;
      }
    }
    keepBytes(Buffer.from(chunk, isUtf8(encoding) ? 'utf8' : (encoding as BufferEncoding)));
  };

  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((...args: unknown[]) => {
    keep(args[0], args[1]);
    return write(...args);
  }) as ServerResponse['write'];
  res.end = ((...args: unknown[]) => {
    keep(args[0], args[1]);
    return end(...args);
  }) as ServerResponse['end'];

  return {
    take() {
      if (taken) throw new Error('the captured body was taken already');
      taken = true;
      if (!wrote) return null;
      settleBytes();
      const text = pieces.length === 1 ? (pieces[0] as string) : pieces.join('');
      pieces.length = 0;
      decoder = undefined;
      return truncated ? text + TRUNCATION_MARKER : text;
    },
  };
}
