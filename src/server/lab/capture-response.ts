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

/** Where a teed response keeps its tee: one property, whose value is not a function. */
const kTee = Symbol('lab.bodyTee');

type TeedResponse = ServerResponse & { [kTee]: BodyTee };

/**
 * Tees what the handlers write to `res` into a bounded text, without changing what the client
 * receives. Only the first MAX_CAPTURED_BODY bytes are kept. A UTF-8 string (what sendJson writes, and
 * res.send for a short body) is kept as it is; bytes (res.send for a body of 1,000 characters or more)
 * are decoded as they come, so the body is never copied into a Buffer of the capture's own (a
 * multi-byte character split between writes is decoded whole).
 *
 * The response's `write` and `end` become `teeWrite` and `teeEnd`, two functions shared by every
 * response, which find the response's tee (an object) under a symbol: no function is made per
 * response. With a function made per response as its `end` (a closure over the original), V8's young
 * generation grew from 8 to 32 MB under load, and the server's RSS by 32–36 MB, even with the rest
 * of the capture switched off (discovery at 16 connections); with the same wrapper as one shared
 * function, it did not grow. What keeps such a function alive was not traced: V8's feedback at the
 * call sites of `res.end`, which records call targets, is the likely holder.
 *
 * `take` empties what the tee holds: kept there after the exchange was built (the tee stays on the
 * response object), nearly every captured body survived two minor garbage collections and was
 * promoted to V8's old generation (--trace-gc-nvp).
 */
export function captureResponseBody(res: ServerResponse, limit = MAX_CAPTURED_BODY): CapturedBody {
  // A second tee would take teeWrite for the response's own write, and call itself.
  if (kTee in res) throw new Error('this response is teed already');
  const tee = new BodyTee(res.write, res.end, limit);
  (res as TeedResponse)[kTee] = tee;
  res.write = teeWrite as ServerResponse['write'];
  res.end = teeEnd as ServerResponse['end'];
  return tee;
}

function teeWrite(this: TeedResponse, ...args: unknown[]): boolean {
  const tee = this[kTee];
  tee.keep(args[0], args[1]);
  return Reflect.apply(tee.write, this, args) as boolean;
}

function teeEnd(this: TeedResponse, ...args: unknown[]): ServerResponse {
  const tee = this[kTee];
  tee.keep(args[0], args[1]);
  return Reflect.apply(tee.end, this, args) as ServerResponse;
}

class BodyTee implements CapturedBody {
  private readonly pieces: string[] = [];
  private decoder: StringDecoder | undefined;
  private kept = 0;
  private truncated = false;
  private wrote = false;
  private taken = false;

  constructor(
    /** The response's own methods, called with what the handler wrote. */
    readonly write: ServerResponse['write'],
    readonly end: ServerResponse['end'],
    private readonly limit: number,
  ) {}

  keep(chunk: unknown, encoding: unknown): void {
    // Written after the exchange was recorded (a handler still running when the client went away).
    if (this.taken) return;
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) return;
    this.wrote = true;
    if (this.truncated) return;
    if (typeof chunk !== 'string') {
      this.keepBytes(chunk);
      return;
    }
    if (isUtf8(encoding)) {
      const bytes = Buffer.byteLength(chunk);
      if (bytes <= this.limit - this.kept) {
        this.settleBytes();
        this.pieces.push(chunk);
        this.kept += bytes;
        return;
      }
    }
    this.keepBytes(Buffer.from(chunk, isUtf8(encoding) ? 'utf8' : (encoding as BufferEncoding)));
  }

  take(): string | null {
    if (this.taken) throw new Error('the captured body was taken already');
    this.taken = true;
    if (!this.wrote) return null;
    this.settleBytes();
    const { pieces } = this;
    const text = pieces.length === 1 ? (pieces[0] as string) : pieces.join('');
    pieces.length = 0;
    this.decoder = undefined;
    return this.truncated ? text + TRUNCATION_MARKER : text;
  }

  /** Bytes the decoder holds (the start of a character) end where a string begins: decoded as is. */
  private settleBytes(): void {
    const rest = this.decoder?.end();
    if (rest) this.pieces.push(rest);
  }

  private keepBytes(bytes: Uint8Array): void {
    const room = this.limit - this.kept;
    const fitting = bytes.byteLength > room ? bytes.subarray(0, room) : bytes;
    this.decoder ??= new StringDecoder('utf8');
    // Decoded now: the caller may reuse its buffer once it is written.
    this.pieces.push(this.decoder.write(fitting as Buffer));
    this.kept += fitting.byteLength;
    if (fitting !== bytes) this.truncated = true;
  }
}
