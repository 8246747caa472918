import type { Writable } from 'node:stream';

/** Where an export goes, chunk by chunk; `write` resolves when the chunk may be followed by more. */
export interface ExportSink {
  write(chunk: string): Promise<void> | void;
}

/** A sink over a Node stream that honours backpressure (waits for `drain`). */
export function streamSink(stream: Writable): ExportSink {
  return {
    write(chunk) {
      if (stream.write(chunk)) return;
      return new Promise<void>((resolve, reject) => {
        const cleanup = () => {
          stream.off('drain', onDrain);
          stream.off('close', onClose);
          stream.off('error', onError);
        };
        const onDrain = () => {
          cleanup();
          resolve();
        };
        const onClose = () => {
          cleanup();
          reject(new Error('the export stream closed'));
        };
        const onError = (e: Error) => {
          cleanup();
          reject(e);
        };
        stream.once('drain', onDrain);
        stream.once('close', onClose);
        stream.once('error', onError);
      });
    },
  };
}

/** Collects an export into one string (tests, small recordings). */
export function stringSink(): ExportSink & { text(): string } {
  const parts: string[] = [];
  return { write: (chunk) => void parts.push(chunk), text: () => parts.join('') };
}

/**
 * Groups small pieces into chunks of about `size` characters before writing: fewer syscalls than one
 * write per event, and never more than one chunk held.
 */
export function chunked(sink: ExportSink, size = 64 * 1024): ExportSink & { end(): Promise<void> } {
  let buffer: string[] = [];
  let length = 0;
  const drain = async () => {
    if (length === 0) return;
    const chunk = buffer.join('');
    buffer = [];
    length = 0;
    await sink.write(chunk);
  };
  return {
    async write(piece) {
      buffer.push(piece);
      length += piece.length;
      if (length >= size) await drain();
    },
    end: drain,
  };
}
