import type { CheckResultEvent, Exchange, LabEvent } from '../../common/lab-events';

/**
 * The text the lab stores an event as (the `json` column of lab_events, or its event log).
 *
 * JSON, except an exchange's headers and bodies. The bodies are mostly JSON or form text themselves,
 * and escaping every quote of them inside the event's JSON was the largest single part of what the
 * capture cost a request; its headers (a DPoP proof among them) were most of what was left of the
 * JSON's cost. An exchange is stored as
 *
 *     JSON of the event without its headers and bodies, with "headers": [request block length,
 *       response block length] and "bodies": [request length, response length]
 *     LF
 *     the request's header block, the response's, the request body, the response body, verbatim
 *
 * A header block is each name and value after its length and a colon (`4:host14:127.0.0.1:4000`):
 * nothing in it is escaped, lengths say where each ends. Lengths are in UTF-16 code units (JavaScript
 * string lengths), null for no body. JSON.stringify never writes a raw LF, so a text without one is
 * plain JSON: events of other types, and events stored before this form existed. Exchanges stored
 * before header blocks have their headers in the JSON, and no "headers" lengths.
 */

type BodyLengths = [number | null, number | null];
type HeaderBlockLengths = [number, number];

/**
 * A body as it will read back. SQLite keeps text as UTF-8, where a lone surrogate (which a body
 * reported or imported as JSON may hold: "\ud800") has no form: it is written as three bytes that
 * read back as three U+FFFD, and the lengths would no longer name the bodies. Replaced by one U+FFFD
 * before the lengths are taken, as a UTF-8 encoder does.
 */
const wellFormed = (body: string | null | undefined): string | null =>
  body === null || body === undefined ? null : body.toWellFormed();

/**
 * The members of an exchange's JSON: all but its headers and bodies, and their lengths. Its checks,
 * given as JSON already, are appended to it as text (toStoredText).
 */
export type StoredHead = Record<
  Exclude<keyof Exchange, 'requestHeaders' | 'responseHeaders' | 'requestBody' | 'responseBody' | 'checks'>,
  unknown
> & {
  headers: HeaderBlockLengths;
  bodies: BodyLengths;
};

/** `headers` as a header block (above), each name and value well-formed as bodies are. */
function headerBlock(headers: Readonly<Record<string, string>>): string {
  let block = '';
  // for…in, not Object.entries: no array per header. Own names only: a header object is a plain
  // object (or Node's, which inherits none).
  for (const name in headers) {
    const value = (headers[name] as string).toWellFormed();
    const wellFormedName = name.toWellFormed();
    block += `${wellFormedName.length}:${wellFormedName}${value.length}:${value}`;
  }
  return block;
}

/** The headers of the block `text[start, end)`; throws on a block that is not one. */
function parseHeaderBlock(text: string, start: number, end: number): Record<string, string> {
  const entries: [string, string][] = [];
  let at = start;
  const next = (): string => {
    const colon = text.indexOf(':', at);
    const digits = colon < 0 || colon >= end ? '' : text.slice(at, colon);
    if (!/^\d{1,9}$/.test(digits)) throw new SyntaxError('stored event: a header block that is not one');
    const from = colon + 1;
    at = from + Number(digits);
    if (at > end) throw new SyntaxError('stored event: a header longer than its block');
    return text.slice(from, at);
  };
  while (at < end) entries.push([next(), next()]);
  // Object.fromEntries defines each name as the object's own: a header named __proto__ stays a header.
  return Object.fromEntries(entries);
}

const isLength = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
const isBodyLength = (n: unknown): n is number | null => n === null || isLength(n);

/**
 * The JSON part of a stored exchange, member by member (JSON.stringify leaves out those that are
 * undefined). Built as one object literal: `{ ...exchange, requestBody: undefined, ... }` made V8
 * promote about 0.55 KB to its old generation for each exchange serialized under load, though the
 * copy lives for one call, and the young generation then grew from 8 to 32 MB (discovery at 16
 * connections, --trace-gc-nvp: 35 MB promoted in 60,000 requests; without serializing, 4.4 MB);
 * copying member by member in a for…in loop promoted nothing but took about 15 µs an exchange.
 * StoredHead names every member of Exchange but those stored apart, so that one added to the schema
 * cannot be left out.
 */
const storedHead = (exchange: Exchange, headers: HeaderBlockLengths, bodies: BodyLengths): StoredHead => ({
  type: exchange.type,
  id: exchange.id,
  recordingId: exchange.recordingId,
  traceId: exchange.traceId,
  spanId: exchange.spanId,
  observer: exchange.observer,
  from: exchange.from,
  to: exchange.to,
  label: exchange.label,
  method: exchange.method,
  url: exchange.url,
  status: exchange.status,
  startedAt: exchange.startedAt,
  durationMs: exchange.durationMs,
  jwts: exchange.jwts,
  transportError: exchange.transportError,
  headers,
  bodies,
});

/**
 * What JSON.stringify writes escaped in a string: a quote, a backslash, a control character, and a
 * surrogate (a lone one is written as \uXXXX; a pair is not, but is rare enough to take the long way).
 */
// eslint-disable-next-line no-control-regex -- control characters are what JSON escapes
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;
const isPlain = (value: unknown): value is string => typeof value === 'string' && !ESCAPED.test(value);
const isPlainOrAbsent = (value: unknown): value is string | undefined =>
  value === undefined || isPlain(value);
const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/**
 * The JSON of `storedHead(exchange, headers, bodies)`, exactly as JSON.stringify writes it, written
 * out member by member when nothing in it needs escaping (every string plain, every number finite,
 * no JWT decoded yet: an exchange the capture built), by JSON.stringify otherwise. JSON.stringify of
 * the head took about 0.9 µs for an exchange of the token endpoint; written out, the whole stored
 * text took 1.5 µs instead of 2.0 (a micro-benchmark).
 */
function storedHeadJson(exchange: Exchange, headers: HeaderBlockLengths, bodies: BodyLengths): string {
  const e = exchange;
  const [requestBody, responseBody] = bodies;
  if (
    !isPlain(e.type) ||
    !isPlain(e.id) ||
    !isPlainOrAbsent(e.recordingId) ||
    !isPlain(e.traceId) ||
    !isPlain(e.spanId) ||
    !isPlain(e.observer) ||
    !isPlain(e.from) ||
    !isPlain(e.to) ||
    !isPlain(e.label) ||
    !isPlain(e.method) ||
    !isPlain(e.url) ||
    !(e.status === null || isFiniteNumber(e.status)) ||
    !isFiniteNumber(e.startedAt) ||
    !isFiniteNumber(e.durationMs) ||
    !Array.isArray(e.jwts) ||
    e.jwts.length > 0 ||
    !isPlainOrAbsent(e.transportError)
  ) {
    return JSON.stringify(storedHead(exchange, headers, bodies));
  }
  // Members in storedHead's order; those JSON.stringify leaves out (undefined) left out. One added to
  // Exchange fails to compile in this writer's test until it is written here too.
  const recordingId = e.recordingId === undefined ? '' : `"recordingId":"${e.recordingId}",`;
  const transportError = e.transportError === undefined ? '' : `"transportError":"${e.transportError}",`;
  return (
    `{"type":"${e.type}","id":"${e.id}",${recordingId}"traceId":"${e.traceId}","spanId":"${e.spanId}",` +
    `"observer":"${e.observer}","from":"${e.from}","to":"${e.to}","label":"${e.label}",` +
    `"method":"${e.method}","url":"${e.url}","status":${e.status},"startedAt":${e.startedAt},` +
    `"durationMs":${e.durationMs},"jwts":[],${transportError}"headers":[${headers[0]},${headers[1]}],` +
    `"bodies":[${requestBody},${responseBody}]}`
  );
}

/**
 * `event` as the store keeps it; `storedChecksJson` gives the JSON of an exchange's checks as stored
 * (by catalogue number, `check-catalogue.ts`), appended as the last member of its JSON.
 */
export function toStoredText(
  event: LabEvent,
  storedChecksJson: (checks: readonly CheckResultEvent[]) => string = (checks) => JSON.stringify(checks),
): string {
  if (event.type !== 'exchange') return JSON.stringify(event);
  const requestBody = wellFormed(event.requestBody);
  const responseBody = wellFormed(event.responseBody);
  const bodies: BodyLengths = [requestBody?.length ?? null, responseBody?.length ?? null];
  const requestHeaders = headerBlock(event.requestHeaders);
  const responseHeaders = headerBlock(event.responseHeaders);
  const head = storedHeadJson(event, [requestHeaders.length, responseHeaders.length], bodies);
  const checks = storedChecksJson(event.checks);
  return `${head.slice(0, -1)},"checks":${checks}}\n${requestHeaders}${responseHeaders}${requestBody ?? ''}${responseBody ?? ''}`;
}

/** The stored value back from `toStoredText` (or from plain JSON); throws on text that is neither. */
export function fromStoredText(text: string): unknown {
  const end = text.indexOf('\n');
  if (end < 0) return JSON.parse(text);
  const { headers, bodies, ...event } = JSON.parse(text.slice(0, end)) as {
    headers?: HeaderBlockLengths;
    bodies: BodyLengths;
  };
  let at = end + 1;
  const blocks: Record<string, unknown> = {};
  if (headers !== undefined) {
    const [requestBlock, responseBlock] = headers;
    if (
      !isLength(requestBlock) ||
      !isLength(responseBlock) ||
      at + requestBlock + responseBlock > text.length
    ) {
      throw new SyntaxError('stored event: its header blocks do not have the lengths it names');
    }
    blocks.requestHeaders = parseHeaderBlock(text, at, at + requestBlock);
    at += requestBlock;
    blocks.responseHeaders = parseHeaderBlock(text, at, at + responseBlock);
    at += responseBlock;
  }
  const [requestLength, responseLength] = Array.isArray(bodies) ? bodies : [];
  const responseStart = at + (requestLength ?? 0);
  if (
    !isBodyLength(requestLength) ||
    !isBodyLength(responseLength) ||
    responseStart + (responseLength ?? 0) !== text.length
  ) {
    throw new SyntaxError('stored event: its bodies do not have the lengths it names');
  }
  return {
    ...event,
    ...blocks,
    requestBody: requestLength === null ? null : text.slice(at, responseStart),
    responseBody: responseLength === null ? null : text.slice(responseStart),
  };
}

/**
 * When a stored event happened, as far as the JSON before its bodies still says (0 when it says
 * nothing readable): for an event `fromStoredText` refuses.
 */
export function timeOfStoredText(text: string): number {
  const end = text.indexOf('\n');
  try {
    const head = JSON.parse(end < 0 ? text : text.slice(0, end)) as { startedAt?: unknown; at?: unknown };
    const time = head.startedAt ?? head.at;
    return typeof time === 'number' && Number.isFinite(time) ? time : 0;
  } catch {
    return 0;
  }
}
