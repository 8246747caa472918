import { STATUS_CODES } from 'node:http';
import type { Exchange } from '../../common/lab-events';
import { isoTime } from '../../common/time-value';
import type { RecordingMeta, RecordingStore } from './recording-store';
import { chunked, type ExportSink } from './export-sink';

interface HarNameValue {
  name: string;
  value: string;
}

const nameValues = (headers: Record<string, string>): HarNameValue[] =>
  Object.entries(headers).flatMap(([name, value]) =>
    // Set-Cookie lines were joined with newlines at capture; HAR lists each header line.
    value.split('\n').map((line) => ({ name, value: line })),
  );

const headerValue = (headers: Record<string, string>, name: string): string | undefined => {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
};

function queryString(url: string): HarNameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

const byteLength = (text: string | null): number => (text === null ? 0 : Buffer.byteLength(text, 'utf8'));

/** One HAR 1.2 entry (http://www.softwareishard.com/blog/har-12-spec/#entries). */
export function harEntry(exchange: Exchange) {
  const requestType = headerValue(exchange.requestHeaders, 'content-type') ?? 'application/octet-stream';
  const responseType = headerValue(exchange.responseHeaders, 'content-type') ?? 'application/octet-stream';
  const status = exchange.status ?? 0; // HAR: 0 when no response was received
  return {
    startedDateTime: isoTime(exchange.startedAt),
    time: exchange.durationMs,
    request: {
      method: exchange.method,
      url: exchange.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: nameValues(exchange.requestHeaders),
      queryString: queryString(exchange.url),
      ...(exchange.requestBody === null
        ? {}
        : { postData: { mimeType: requestType, params: [], text: exchange.requestBody } }),
      headersSize: -1,
      bodySize: byteLength(exchange.requestBody),
    },
    response: {
      status,
      statusText: STATUS_CODES[status] ?? '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: nameValues(exchange.responseHeaders),
      content: {
        size: byteLength(exchange.responseBody),
        mimeType: responseType,
        ...(exchange.responseBody === null ? {} : { text: exchange.responseBody }),
      },
      redirectURL: headerValue(exchange.responseHeaders, 'location') ?? '',
      headersSize: -1,
      bodySize: exchange.status === null ? -1 : byteLength(exchange.responseBody),
    },
    cache: {},
    // The lab measures the whole exchange only: all of it is counted as waiting.
    timings: { send: 0, wait: exchange.durationMs, receive: 0 },
    // HAR §custom fields: names start with an underscore.
    _trustyLab: {
      id: exchange.id,
      traceId: exchange.traceId,
      spanId: exchange.spanId,
      observer: exchange.observer,
      label: exchange.label,
      checks: exchange.checks,
      ...(exchange.transportError ? { transportError: exchange.transportError } : {}),
    },
  };
}

/**
 * HAR 1.2 of a recording's exchanges (notes and clock moves have no HAR form). Where the demo client
 * and the server both saw a request, only the server's view is written: one entry per request.
 */
export async function exportHar(
  store: RecordingStore,
  meta: RecordingMeta,
  sink: ExportSink,
  { version }: { version: string },
): Promise<void> {
  const out = chunked(sink);
  const log = { version: '1.2', creator: { name: 'TRusTY Lab', version }, pages: [] };
  await out.write(
    `{"log":${JSON.stringify(log).slice(0, -1)},"comment":${JSON.stringify(meta.name)},"entries":[`,
  );
  let first = true;
  for (const event of store.events(meta.id, { exchangesOnly: true, mergeViews: true })) {
    if (event.type !== 'exchange') continue;
    await out.write((first ? '\n' : ',\n') + JSON.stringify(harEntry(event)));
    first = false;
  }
  await out.write('\n]}}\n');
  await out.end();
}
