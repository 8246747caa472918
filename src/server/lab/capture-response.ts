import type { ServerResponse } from 'node:http';

/** Captured bodies are capped: a lab shows tokens and JSON, not megabytes of HTML. */
export const MAX_CAPTURED_BODY = 64 * 1024;
export const TRUNCATION_MARKER = '\n…[truncated by the lab: body larger than 64 KB]';

export interface CapturedBody {
  /** The body as text, capped; null when nothing was written. */
  text(): string | null;
}

const isUtf8 = (encoding: unknown): boolean =>
  encoding === undefined || encoding === 'utf8' || encoding === 'utf-8' || typeof encoding === 'function';

/**
 * Tees what the handlers write to `res` into a bounded buffer, without changing what the client
 * receives. Only the first MAX_CAPTURED_BODY bytes are kept. A UTF-8 string (what res.json and
 * res.send write) is kept as it is, not copied into a Buffer.
 */
export function captureResponseBody(res: ServerResponse, limit = MAX_CAPTURED_BODY): CapturedBody {
  const chunks: (string | Buffer)[] = [];
  let kept = 0;
  let truncated = false;
  let wrote = false;

  const keep = (chunk: unknown, encoding: unknown): void => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) return;
    wrote = true;
    if (truncated) return;
    const room = limit - kept;
    if (typeof chunk === 'string' && isUtf8(encoding)) {
      const bytes = Buffer.byteLength(chunk);
      if (bytes <= room) {
        chunks.push(chunk);
        kept += bytes;
        return;
      }
    }
    const buffer =
      typeof chunk === 'string'
        ? Buffer.from(chunk, isUtf8(encoding) ? 'utf8' : (encoding as BufferEncoding))
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (buffer.length > room) {
      // The caller's own bytes are copied (it may reuse its buffer once written); ours are not.
      chunks.push(
        typeof chunk === 'string' ? buffer.subarray(0, room) : Buffer.from(buffer.subarray(0, room)),
      );
      kept = limit;
      truncated = true;
    } else {
      chunks.push(typeof chunk === 'string' ? buffer : Buffer.from(buffer));
      kept += buffer.length;
    }
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
    text() {
      if (!wrote) return null;
      const only = chunks.length === 1 ? chunks[0] : undefined;
      const text =
        typeof only === 'string'
          ? only
          : Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))).toString('utf8');
      return truncated ? text + TRUNCATION_MARKER : text;
    },
  };
}
