import type { ServerResponse } from 'node:http';

/** Captured bodies are capped: a lab shows tokens and JSON, not megabytes of HTML. */
export const MAX_CAPTURED_BODY = 64 * 1024;
export const TRUNCATION_MARKER = '\n…[truncated by the lab: body larger than 64 KB]';

export interface CapturedBody {
  /** The body as text, capped; null when nothing was written. */
  text(): string | null;
}

type Chunk = string | Uint8Array;

const toBuffer = (chunk: Chunk, encoding?: BufferEncoding): Buffer =>
  typeof chunk === 'string' ? Buffer.from(chunk, encoding ?? 'utf8') : Buffer.from(chunk);

/**
 * Tees what the handlers write to `res` into a bounded buffer, without changing what the client
 * receives. Only the first MAX_CAPTURED_BODY bytes are kept.
 */
export function captureResponseBody(res: ServerResponse, limit = MAX_CAPTURED_BODY): CapturedBody {
  const chunks: Buffer[] = [];
  let kept = 0;
  let truncated = false;
  let wrote = false;

  const keep = (chunk: unknown, encoding: unknown): void => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) return;
    wrote = true;
    if (truncated) return;
    const buffer = toBuffer(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : undefined);
    const room = limit - kept;
    if (buffer.length > room) {
      chunks.push(buffer.subarray(0, room));
      kept = limit;
      truncated = true;
    } else {
      chunks.push(buffer);
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
      const text = Buffer.concat(chunks, kept).toString('utf8');
      return truncated ? text + TRUNCATION_MARKER : text;
    },
  };
}
