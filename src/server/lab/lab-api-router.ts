import express, { type RequestHandler, type Response, type Router } from 'express';
import * as z from 'zod';
import { labApiPaths, LAB_API_PREFIX, type LabClockState, type LabSession } from '../../common/lab-api';
import type { LabEvent } from '../../common/lab-events';
import type { Logger } from '../server-options';
import { clientExchange, clientExchangeReportSchema } from './client-exchange-report';
import type { EventBus } from './event-bus';
import { serveEventStream } from './event-stream';
import { streamSink } from './export-sink';
import { EXPORT_CONTENT_TYPES, exportFileName, exportRecording, isExportFormat } from './export-recording';
import type { JwtDecoder } from './jwt-decoder';
import type { LabClock } from './lab-clock';
import type { RecordingStore } from './recording-store';
import {
  importByteLimit,
  importedRecording,
  importLimitInWords,
  importRecording,
  RecordingRefused,
} from './imported-recording';

export interface LabApiDeps {
  store: RecordingStore;
  bus: EventBus;
  decoder: JwtDecoder;
  clock: LabClock;
  logger: Logger;
  version: string;
  publish(event: LabEvent): void;
  session(): Omit<LabSession, 'clock' | 'currentRecordingId'>;
  currentRecordingId(): string;
  /** Creates a recording and makes it current. */
  startRecording(name: string): ReturnType<RecordingStore['create']>;
  /** Deletes a recording; if it was current, a new one becomes current. */
  deleteRecording(id: string): boolean;
  rotateKeys(): Promise<string[]>;
  /** Writes queued events, so that a read sees everything published so far. */
  flush(): void;
  sse?: { heartbeatMs?: number; maxBacklog?: number; maxStreams?: number };
  /** The most bytes of a recording to import; by default what V8's heap allows (importByteLimit). */
  maxImportBytes?: number;
}

/**
 * Event streams open at once. Each holds its own decoded copy of the replay it was sent (up to the
 * recorder's 8 MB of replayed events, about 6.5 MB of heap): fifty streams that never read took the
 * provider to 414 MB. A lab UI opens one per window.
 */
const MAX_EVENT_STREAMS = 16;

const nameBody = z.object({ name: z.string().trim().min(1).max(200) });
const clockBody = z.union([
  // Up to a year ahead: enough to expire anything the provider issues.
  z
    .object({
      advanceSeconds: z
        .number()
        .finite()
        .positive()
        .max(366 * 24 * 3600),
    })
    .strict(),
  z.object({ reset: z.literal(true) }).strict(),
]);

const fail = (res: Response, status: number, error: string, error_description: string): void => {
  res.status(status).json({ error, error_description });
};

const relative = (path: string): string => path.slice(LAB_API_PREFIX.length);

/** The JSON body of an import, refused (413) with the limit named when it is longer than `limit` bytes. */
function readImportBody(limit: number): RequestHandler {
  const json = express.json({ limit });
  return (req, res, next) =>
    json(req, res, (error?: unknown) => {
      if ((error as { type?: unknown } | undefined)?.type !== 'entity.too.large') return next(error);
      fail(res, 413, 'recording_too_large', importLimitInWords(limit));
    });
}

/** Describes a clock move for the timeline: `+61 s`, `+10 min`. */
export function describeAdvance(seconds: number): string {
  if (seconds % 86400 === 0) return `+${seconds / 86400} d`;
  if (seconds % 3600 === 0) return `+${seconds / 3600} h`;
  if (seconds % 60 === 0) return `+${seconds / 60} min`;
  return `+${seconds} s`;
}

/** The lab API (src/common/lab-api.ts), mounted under LAB_API_PREFIX behind the secret and Host checks. */
export function createLabApiRouter(deps: LabApiDeps): Router {
  const router = express.Router();
  const json = express.json({ limit: '1mb' });
  const importJson = readImportBody(deps.maxImportBytes ?? importByteLimit());
  const clockState = (): LabClockState => ({ offsetMs: deps.clock.offsetMs, now: deps.clock.now() });

  router.get(relative(labApiPaths.session), (_req, res) => {
    const session: LabSession = {
      ...deps.session(),
      clock: clockState(),
      currentRecordingId: deps.currentRecordingId(),
    };
    res.json(session);
  });

  let openStreams = 0;
  router.get(relative(labApiPaths.events), (req, res) => {
    const { maxStreams = MAX_EVENT_STREAMS, ...sse } = deps.sse ?? {};
    if (openStreams >= maxStreams) {
      res.setHeader('Retry-After', '5');
      return fail(res, 429, 'too_many_requests', `at most ${maxStreams} event streams may be open at once`);
    }
    openStreams += 1;
    res.once('close', () => (openStreams -= 1));
    serveEventStream(req, res, { bus: deps.bus, decoder: deps.decoder, logger: deps.logger, ...sse });
  });

  router.post(relative(labApiPaths.clientExchanges), json, (req, res) => {
    const parsed = clientExchangeReportSchema().safeParse(req.body);
    if (!parsed.success) return fail(res, 400, 'invalid_request', z.prettifyError(parsed.error));
    deps.publish(clientExchange(parsed.data));
    res.status(204).end();
  });

  router.get(relative(labApiPaths.recordings), (_req, res) => {
    deps.flush();
    res.json(deps.store.list());
  });

  router.post(relative(labApiPaths.recordings), json, (req, res) => {
    const parsed = nameBody.safeParse(req.body);
    if (!parsed.success) return fail(res, 400, 'invalid_request', 'a recording needs a name');
    res.status(201).json(deps.startRecording(parsed.data.name));
  });

  router.post(relative(labApiPaths.recordingImport), importJson, async (req, res) => {
    const notRecording = (why: string) =>
      fail(res, 400, 'invalid_recording', `not a TRusTY Lab recording: ${why}`);
    const imported = importedRecording(req.body);
    if ('refused' in imported) return notRecording(imported.refused);
    try {
      res.status(201).json(await importRecording(deps.store, imported.recording));
    } catch (e) {
      if (e instanceof RecordingRefused) return notRecording(e.message);
      throw e;
    }
  });

  router.get('/recordings/:id', async (req, res, next) => {
    deps.flush();
    const meta = deps.store.find(String(req.params.id));
    if (!meta) return fail(res, 404, 'not_found', 'no such recording');
    res.setHeader('Content-Type', EXPORT_CONTENT_TYPES.json);
    await exportRecording('json', deps, meta, streamSink(res)).then(() => res.end(), next);
  });

  router.patch('/recordings/:id', json, (req, res) => {
    const parsed = nameBody.safeParse(req.body);
    if (!parsed.success) return fail(res, 400, 'invalid_request', 'a recording needs a name');
    const summary = deps.store.rename(String(req.params.id), parsed.data.name);
    if (!summary) return fail(res, 404, 'not_found', 'no such recording');
    res.json(summary);
  });

  router.delete('/recordings/:id', (req, res) => {
    if (!deps.deleteRecording(String(req.params.id))) return fail(res, 404, 'not_found', 'no such recording');
    res.status(204).end();
  });

  router.get('/recordings/:id/export', async (req, res, next) => {
    const format = req.query.format ?? 'json';
    if (!isExportFormat(format)) return fail(res, 400, 'invalid_request', 'format must be json, har or md');
    deps.flush();
    const meta = deps.store.find(String(req.params.id));
    if (!meta) return fail(res, 404, 'not_found', 'no such recording');
    res.setHeader('Content-Type', EXPORT_CONTENT_TYPES[format]);
    res.setHeader('Content-Disposition', `attachment; filename="${exportFileName(meta, format)}"`);
    await exportRecording(format, deps, meta, streamSink(res)).then(() => res.end(), next);
  });

  router.get(relative(labApiPaths.clock), (_req, res) => {
    res.json(clockState());
  });

  router.post(relative(labApiPaths.clock), json, (req, res) => {
    const parsed = clockBody.safeParse(req.body);
    if (!parsed.success) {
      return fail(
        res,
        400,
        'invalid_request',
        'send {"advanceSeconds": n} (0 < n ≤ one year) or {"reset": true}',
      );
    }
    if ('reset' in parsed.data) deps.clock.reset('reset to real time');
    else {
      try {
        deps.clock.advance(parsed.data.advanceSeconds * 1000, describeAdvance(parsed.data.advanceSeconds));
      } catch (e) {
        // Past MAX_LAB_CLOCK_OFFSET_MS in all (lab-clock.ts): the clock refuses, and says why.
        if (e instanceof RangeError) return fail(res, 400, 'invalid_request', e.message);
        throw e;
      }
    }
    res.json(clockState());
  });

  router.post(relative(labApiPaths.rotateKeys), async (_req, res, next) => {
    try {
      res.json({ kids: await deps.rotateKeys() });
    } catch (e) {
      next(e);
    }
  });

  router.use((_req, res) => fail(res, 404, 'not_found', 'no such lab API endpoint'));

  return router;
}
