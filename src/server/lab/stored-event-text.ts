import type { CheckResultEvent, Exchange, LabEvent } from '../../common/lab-events';

/**
 * The text the lab stores an event as (the `json` column of lab_events).
 *
 * JSON, except an exchange's two bodies. Those are mostly JSON or form text themselves, and escaping
 * every quote of them inside the event's JSON was the largest single part of what the capture cost a
 * request. An exchange is stored as
 *
 *     JSON of the event without its bodies, with "bodies": [request length, response length]
 *     LF
 *     the request body, then the response body, verbatim
 *
 * lengths in UTF-16 code units (JavaScript string lengths), null for no body. JSON.stringify never
 * writes a raw LF, so a text without one is plain JSON: events of other types, and events stored
 * before this form existed.
 */

type BodyLengths = [number | null, number | null];

/**
 * A body as it will read back. SQLite keeps text as UTF-8, where a lone surrogate (which a body
 * reported or imported as JSON may hold: "\ud800") has no form: it is written as three bytes that
 * read back as three U+FFFD, and the lengths would no longer name the bodies. Replaced by one U+FFFD
 * before the lengths are taken, as a UTF-8 encoder does.
 */
const wellFormed = (body: string | null | undefined): string | null =>
  body === null || body === undefined ? null : body.toWellFormed();

/**
 * The members of an exchange's JSON: all but its bodies, and the bodies' lengths. Its checks, given
 * as JSON already, are appended to it as text (toStoredText).
 */
type StoredHead = Record<Exclude<keyof Exchange, 'requestBody' | 'responseBody' | 'checks'>, unknown> & {
  bodies: BodyLengths;
};

/**
 * The JSON part of a stored exchange, member by member (JSON.stringify leaves out those that are
 * undefined). Built as one object literal: `{ ...exchange, requestBody: undefined, ... }` made V8
 * promote about 0.55 KB to its old generation for each exchange serialized under load, though the
 * copy lives for one call, and the young generation then grew from 8 to 32 MB (discovery at 16
 * connections, --trace-gc-nvp: 35 MB promoted in 60,000 requests; without serializing, 4.4 MB);
 * copying member by member in a for…in loop promoted nothing but took about 15 µs an exchange.
 * StoredHead names every member of Exchange, so that one added to the schema cannot be left out.
 */
const storedHead = (exchange: Exchange, bodies: BodyLengths): StoredHead => ({
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
  requestHeaders: exchange.requestHeaders,
  status: exchange.status,
  responseHeaders: exchange.responseHeaders,
  startedAt: exchange.startedAt,
  durationMs: exchange.durationMs,
  jwts: exchange.jwts,
  transportError: exchange.transportError,
  bodies,
});

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
  const head = JSON.stringify(storedHead(event, bodies));
  const checks = storedChecksJson(event.checks);
  return `${head.slice(0, -1)},"checks":${checks}}\n${requestBody ?? ''}${responseBody ?? ''}`;
}

/** The stored value back from `toStoredText` (or from plain JSON); throws on text that is neither. */
export function fromStoredText(text: string): unknown {
  const end = text.indexOf('\n');
  if (end < 0) return JSON.parse(text);
  const { bodies, ...event } = JSON.parse(text.slice(0, end)) as { bodies: BodyLengths };
  const [requestLength, responseLength] = bodies;
  const requestStart = end + 1;
  const responseStart = requestStart + (requestLength ?? 0);
  if (responseStart + (responseLength ?? 0) !== text.length) {
    throw new SyntaxError('stored event: its bodies do not have the lengths it names');
  }
  return {
    ...event,
    requestBody: requestLength === null ? null : text.slice(requestStart, responseStart),
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
