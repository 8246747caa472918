import { copyReplacing } from './copy-replacing';

/**
 * The text the lab stores an event as (the `json` column of lab_events, the live buffer).
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

interface WithBodies {
  requestBody?: string | null;
  responseBody?: string | null;
}

type BodyLengths = [number | null, number | null];

const hasBodies = (value: object): value is WithBodies => 'requestBody' in value && 'responseBody' in value;

/**
 * A body as it will read back. SQLite keeps text as UTF-8, where a lone surrogate (which a body
 * reported or imported as JSON may hold: "\ud800") has no form: it is written as three bytes that
 * read back as three U+FFFD, and the lengths would no longer name the bodies. Replaced by one U+FFFD
 * before the lengths are taken, as the live buffer's UTF-8 does.
 */
const wellFormed = (body: string | null | undefined): string | null =>
  body === null || body === undefined ? null : body.toWellFormed();

/** `stored` is the event as the store keeps it (checks by catalogue number). */
export function toStoredText(stored: object): string {
  if (!hasBodies(stored)) return JSON.stringify(stored);
  const requestBody = wellFormed(stored.requestBody);
  const responseBody = wellFormed(stored.responseBody);
  const bodies: BodyLengths = [requestBody?.length ?? null, responseBody?.length ?? null];
  // JSON.stringify leaves out undefined members.
  const json = JSON.stringify(
    copyReplacing(stored, { requestBody: undefined, responseBody: undefined, bodies }),
  );
  return `${json}\n${requestBody ?? ''}${responseBody ?? ''}`;
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
