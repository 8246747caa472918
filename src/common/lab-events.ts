import * as z from 'zod';
import { builtOnFirstUse } from './built-on-first-use';
import { jsonDepthWithin, MAX_JWT_JSON_DEPTH } from './json-depth';
import { MAX_TIME_VALUE_MS } from './time-value';

/**
 * The lab event schema: what the inspector shows and what recordings hold (DESIGN.md, "The lab
 * event model"). Versioned: a recording carries `schemaVersion`, and readers refuse versions they do
 * not know. Validated at every boundary (SSE, import, client capture posted to the lab API).
 *
 * The schemas are built on first use (`labEventSchemas()`), not at every start-up: with the other
 * schemas built that way, start-up takes about 10 ms less CPU.
 */
export const LAB_EVENT_SCHEMA_VERSION = 1;

export const labEventSchemas = builtOnFirstUse(() => {
  /** The lifelines of the sequence diagram. */
  const actorSchema = z.enum(['browser', 'client', 'authorization_server', 'resource_server', 'lab']);

  /** Where in an exchange a JWT was found: `request.header.DPoP`, `request.form.client_assertion`, `response.json.id_token`. */
  const jwtLocationSchema = z.string().min(1).max(200);

  /** A time (ms since 1970) a Date can hold: exporters write it as an ISO date. */
  const timeSchema = z.number().min(-MAX_TIME_VALUE_MS).max(MAX_TIME_VALUE_MS);

  /** A decoded JWT's header or payload: a JSON object, nested at most MAX_JWT_JSON_DEPTH deep. */
  const jwtJson = z
    .record(z.string(), z.unknown())
    .refine((value) => jsonDepthWithin(value, MAX_JWT_JSON_DEPTH), {
      message: `nested more than ${MAX_JWT_JSON_DEPTH} levels deep`,
    });

  const decodedJwtSchema = z.object({
    location: jwtLocationSchema,
    /** What it is: `dpop_proof`, `client_assertion`, `access_token`, `id_token`, `logout_hint`, `other`. */
    kind: z.enum(['dpop_proof', 'client_assertion', 'access_token', 'id_token', 'id_token_hint', 'other']),
    raw: z.string(),
    header: jwtJson,
    payload: jwtJson,
    signature: z.object({
      /** true / false once checked; null when nobody could check it (unknown key). */
      verified: z.boolean().nullable(),
      /** Which key: `server:<kid>`, `client:<client_id>:<kid>`, `embedded jwk <thumbprint>`. */
      key: z.string().optional(),
      detail: z.string().optional(),
    }),
  });

  const checkResultSchema = z.object({
    id: z.string(),
    description: z.string(),
    /** The spec clause: `RFC 9449 §4.3 (9)`. */
    ref: z.string(),
    outcome: z.enum(['passed', 'failed', 'skipped']),
    detail: z.string().optional(),
    error: z.object({ error: z.string(), error_description: z.string(), status: z.number() }).optional(),
  });

  const headers = z.record(z.string(), z.string());

  /** The recording an event was filed under when it happened (so a live view can keep to one recording). */
  const recordingIdField = z.string().optional();

  const exchangeSchema = z.object({
    type: z.literal('exchange'),
    id: z.string(),
    recordingId: recordingIdField,
    /** W3C Trace Context trace-id (32 hex): one per flow. */
    traceId: z.string().regex(/^[0-9a-f]{32}$/),
    /** The span id of the request (16 hex): the client's and the server's views of one request share it. */
    spanId: z.string().regex(/^[0-9a-f]{16}$/),
    /** Who saw it: the provider (incoming) or the demo client (outgoing). */
    observer: z.enum(['server', 'client']),
    from: actorSchema,
    to: actorSchema,
    /** A short name for the arrow: `PAR`, `authorize`, `token`, `userinfo`, `GET /api/accounts`. */
    label: z.string(),
    method: z.string(),
    url: z.string(),
    requestHeaders: headers,
    requestBody: z.string().nullable(),
    /** null when no response came (network error). */
    status: z.number().int().nullable(),
    responseHeaders: headers,
    responseBody: z.string().nullable(),
    /** Milliseconds since the epoch, on the lab clock. */
    startedAt: timeSchema,
    durationMs: z.number(),
    jwts: z.array(decodedJwtSchema),
    checks: z.array(checkResultSchema),
    /** A transport failure seen by the client (no HTTP response). */
    transportError: z.string().optional(),
  });

  /** The lab clock moved (lab API or scenario), so that expiry is shown on the diagram. */
  const clockEventSchema = z.object({
    type: z.literal('clock'),
    id: z.string(),
    recordingId: recordingIdField,
    at: timeSchema,
    /** The offset of the lab clock from real time, in milliseconds, after the change. */
    offsetMs: z.number(),
    reason: z.string(),
  });

  /** A note in the timeline: a flow step started, a scenario ran, keys rotated. */
  const noteEventSchema = z.object({
    type: z.literal('note'),
    id: z.string(),
    recordingId: recordingIdField,
    at: timeSchema,
    traceId: z.string().optional(),
    text: z.string(),
  });

  const labEventSchema = z.discriminatedUnion('type', [exchangeSchema, clockEventSchema, noteEventSchema]);

  /** A recording: the events of one flow or one lab session, as stored and exported (native JSON). */
  const recordingSchema = z.object({
    schemaVersion: z.literal(LAB_EVENT_SCHEMA_VERSION),
    id: z.string(),
    name: z.string(),
    createdAt: timeSchema,
    events: z.array(labEventSchema),
  });

  const recordingSummarySchema = z.object({
    id: z.string(),
    name: z.string(),
    createdAt: timeSchema,
    eventCount: z.number().int(),
  });

  return {
    actor: actorSchema,
    decodedJwt: decodedJwtSchema,
    checkResult: checkResultSchema,
    exchange: exchangeSchema,
    clockEvent: clockEventSchema,
    noteEvent: noteEventSchema,
    labEvent: labEventSchema,
    recording: recordingSchema,
    recordingSummary: recordingSummarySchema,
  };
});
type Schemas = ReturnType<typeof labEventSchemas>;

/** The lifelines of the sequence diagram. */
export type Actor = z.infer<Schemas['actor']>;
export type DecodedJwt = z.infer<Schemas['decodedJwt']>;
export type CheckResultEvent = z.infer<Schemas['checkResult']>;
export type Exchange = z.infer<Schemas['exchange']>;
export type ClockEvent = z.infer<Schemas['clockEvent']>;
export type NoteEvent = z.infer<Schemas['noteEvent']>;
export type LabEvent = z.infer<Schemas['labEvent']>;
export type Recording = z.infer<Schemas['recording']>;
export type RecordingSummary = z.infer<Schemas['recordingSummary']>;
