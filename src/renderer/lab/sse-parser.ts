/**
 * An incremental parser of the `text/event-stream` format (HTML Living Standard, "Server-sent
 * events", §9.2.6 "Interpreting an event stream"). The lab API needs the secret in an
 * `Authorization` header, which EventSource cannot send, so the UI reads the stream with fetch and
 * feeds decoded text chunks here. Chunks may split lines (and a CR LF pair) anywhere.
 */
export interface SseMessage {
  /** The `event:` field; `message` when absent. */
  event: string;
  data: string;
  /** The last `id:` seen (the stream's last event id), or undefined when none has been sent. */
  id: string | undefined;
}

export interface SseParser {
  /** Feeds the next decoded chunk; returns the messages it completed. */
  push(chunk: string): SseMessage[];
  /** The `retry:` reconnection time the server asked for, if any. */
  readonly retryMs: number | undefined;
  /** The last event id seen, to resume with `?since=`. */
  readonly lastEventId: string | undefined;
}

export function createSseParser(): SseParser {
  let buffer = '';
  // A chunk ending in CR may be the first half of CR LF: the LF must then not end a second line.
  let skipLeadingLf = false;
  let eventType = '';
  let dataLines: string[] = [];
  let lastEventId: string | undefined;
  let retryMs: number | undefined;
  let sawField = false;

  function dispatch(out: SseMessage[]): void {
    // A blank line dispatches only when a data field was seen (§9.2.6: empty data buffer → reset).
    if (dataLines.length > 0) {
      out.push({ event: eventType || 'message', data: dataLines.join('\n'), id: lastEventId });
    }
    eventType = '';
    dataLines = [];
    sawField = false;
  }

  function processLine(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (sawField) dispatch(out);
      return;
    }
    if (line.startsWith(':')) return; // a comment (heartbeats use these)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    sawField = true;
    switch (field) {
      case 'event':
        eventType = value;
        break;
      case 'data':
        dataLines.push(value);
        break;
      case 'id':
        // An id containing NULL is ignored by the standard.
        if (!value.includes('\u0000')) lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) retryMs = Number(value);
        break;
      default:
        // Unknown fields are ignored.
        break;
    }
  }

  return {
    push(chunk: string): SseMessage[] {
      const out: SseMessage[] = [];
      let text = chunk;
      if (skipLeadingLf && text.startsWith('\n')) text = text.slice(1);
      skipLeadingLf = false;
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const ch = buffer[i];
        if (ch !== '\n' && ch !== '\r') continue;
        processLine(buffer.slice(start, i), out);
        if (ch === '\r') {
          if (i + 1 < buffer.length) {
            if (buffer[i + 1] === '\n') i++;
          } else {
            skipLeadingLf = true;
          }
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
      return out;
    },
    get retryMs() {
      return retryMs;
    },
    get lastEventId() {
      return lastEventId;
    },
  };
}
