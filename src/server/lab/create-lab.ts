import type { Database } from 'better-sqlite3';
import { Router, type Express, type RequestHandler } from 'express';
import type { LabClientInfo } from '../../common/lab-api';
import type { ClockEvent, LabEvent, NoteEvent } from '../../common/lab-events';
import { isoTime } from '../../common/time-value';
import type { Logger } from '../server-options';
import { createCaptureMiddleware } from './capture-middleware';
import { createEventBus, type EventBus } from './event-bus';
import { newEventId } from './event-ids';
import { createJwtDecoder, type JwtDecoder, type ResolveJwtKey } from './jwt-decoder';
import { createLabApiRouter } from './lab-api-router';
import { loopbackHosts } from './lab-api-security';
import { createLabApp } from './lab-app';
import type { LabClock } from './lab-clock';
import { createRecorder } from './recorder';
import { createRecordingStore, type RecordingStore } from './recording-store';

export interface LabSessionInfo {
  issuer: string;
  labOrigin: string;
  clients: LabClientInfo[];
  users: { username: string }[];
}

export interface LabOptions {
  db: Database;
  clock: LabClock;
  logger: Logger;
  /** The per-launch lab API secret. */
  secret: string;
  /** Off: the capture middleware is a no-op and nothing is recorded from the provider. */
  capture: boolean;
  version: string;
  sessionInfo: () => LabSessionInfo;
  resolveJwtKey: ResolveJwtKey;
  /** Rotates the provider's signing keys (the lab notes the rotation in the timeline). */
  rotateKeys: () => Promise<string[]>;
  /** The built lab UI to serve (web mode). */
  rendererDir?: string;
  /** More lab API routes (e.g. the scenario routes), mounted under LAB_API_PREFIX behind the same checks. */
  extraApiRoutes?: Router;
  /** The Host values allowed on the lab origin; default: loopback names of the port given to setLabPort. */
  labHostAllowList?: () => readonly string[];
  /** Exact provider path → arrow label, for paths the built-in names do not cover. */
  labels?: Readonly<Record<string, string>>;
  /** Tuning (tests): the last events an event stream can replay, SSE timings, recorder batching. */
  replayable?: number;
  sse?: { heartbeatMs?: number; maxBacklog?: number; maxStreams?: number };
  flushEveryMs?: number;
  /** The most bytes of a recording to import; by default what V8's heap allows (importByteLimit). */
  maxImportBytes?: number;
}

export interface Lab {
  /** Mount first on the provider app. */
  captureMiddleware: RequestHandler;
  /** The lab origin's app (lab API + UI); listen on its own port, then call setLabPort. */
  labApp: Express;
  /** Tells the Host check which port the lab origin listens on (known only after listen). */
  setLabPort(port: number): void;
  publish(event: LabEvent): void;
  note(text: string, traceId?: string): NoteEvent;
  readonly bus: EventBus;
  readonly store: RecordingStore;
  readonly decoder: JwtDecoder;
  currentRecordingId(): string;
  /** Rotates the signing keys and notes it in the timeline. */
  rotateKeys(): Promise<string[]>;
  /** Writes queued events and stops timers. */
  close(): Promise<void>;
}

/** Builds the lab: capture, live events, recordings, lab API. See DESIGN.md, "The lab event model". */
export function createLab(options: LabOptions): Lab {
  const { db, clock, logger } = options;
  const store = createRecordingStore(db);
  const decoder = createJwtDecoder(options.resolveJwtKey);
  const launch = store.create(`Lab session ${isoTime(clock.now())}`, clock.now());
  const recorder = createRecorder({
    store,
    currentRecordingId: launch.id,
    logger,
    ...(options.flushEveryMs === undefined ? {} : { flushEveryMs: options.flushEveryMs }),
    ...(options.replayable === undefined ? {} : { replayable: options.replayable }),
  });
  // A viewer that reconnects is replayed from what the recorder wrote (event-bus.ts).
  const bus = createEventBus({ history: (id) => recorder.replay(id) });
  let hosts: readonly string[] = [];
  let closed = false;

  const publish = (event: LabEvent, builtByCapture = false): void => {
    if (closed) return;
    // Filed under the recording that is current now, so that the live view of one recording shows
    // only its own events even when another recording becomes current (a new flow, a scenario).
    // The capture files its exchanges itself: no copy for those.
    const current = recorder.currentRecordingId;
    const filed = event.recordingId === current ? event : { ...event, recordingId: current };
    // Serialized first: an event that cannot be stored (a check's spec not written, the disk full)
    // throws here, and is neither shown live nor recorded.
    const prepared = store.prepare(current, filed);
    bus.publish(filed, builtByCapture);
    recorder.record(filed, prepared);
  };

  const note = (text: string, traceId?: string): NoteEvent => {
    const event: NoteEvent = {
      type: 'note',
      id: newEventId(),
      at: clock.now(),
      text,
      ...(traceId ? { traceId } : {}),
    };
    publish(event);
    return event;
  };

  const stopClockEvents = clock.onChange((change) => {
    const event: ClockEvent = {
      type: 'clock',
      id: newEventId(),
      at: change.at,
      offsetMs: change.offsetMs,
      reason: change.reason,
    };
    publish(event);
  });

  // Every rotation the lab asks for (its API, the desktop menu) is noted here, once.
  const rotateKeys = async (): Promise<string[]> => {
    const kids = await options.rotateKeys();
    note(`Signing keys rotated; published: ${kids.join(', ')}`);
    return kids;
  };

  const startRecording = (name: string) => {
    recorder.flush(); // events so far belong to the recording that was current when they happened
    const created = store.create(name, clock.now());
    recorder.setCurrent(created.id);
    return created;
  };

  const api = createLabApiRouter({
    store,
    bus,
    decoder,
    clock,
    logger,
    version: options.version,
    publish,
    session: () => {
      const info = options.sessionInfo();
      return { version: options.version, capture: options.capture, ...info };
    },
    currentRecordingId: () => recorder.currentRecordingId,
    flush: () => recorder.flush(),
    startRecording,
    deleteRecording(id) {
      recorder.flush();
      // The current recording is replaced before it is deleted: should the new one fail to be made,
      // nothing is deleted, and the capture still has a recording to write to.
      if (id === recorder.currentRecordingId && store.find(id)) {
        startRecording(`Lab session ${isoTime(clock.now())}`);
      }
      return store.delete(id);
    },
    rotateKeys,
    ...(options.sse ? { sse: options.sse } : {}),
    ...(options.maxImportBytes !== undefined ? { maxImportBytes: options.maxImportBytes } : {}),
  });

  const labApp = createLabApp({
    api: options.extraApiRoutes ? Router().use(options.extraApiRoutes, api) : api,
    secret: options.secret,
    allowedHosts: options.labHostAllowList ?? (() => hosts),
    issuer: () => options.sessionInfo().issuer,
    labOrigin: () => options.sessionInfo().labOrigin,
    logger,
    ...(options.rendererDir ? { rendererDir: options.rendererDir } : {}),
  });

  const captureMiddleware = createCaptureMiddleware({
    clock,
    capture: options.capture,
    recordingId: () => recorder.currentRecordingId,
    publish: (exchange) => publish(exchange, true),
    ...(options.labels ? { labels: options.labels } : {}),
    // Someone watches when the live events have a listener (an open lab UI's event stream).
    signatures: { watching: () => bus.listenerCount() > 0, witness: decoder.witnessSignature },
    onPublishError: (e) =>
      logger.warn('lab: an exchange could not be recorded and was dropped', {
        error: e instanceof Error ? e.message : String(e),
      }),
  });

  return {
    captureMiddleware,
    labApp,
    setLabPort(port) {
      hosts = loopbackHosts(port);
    },
    publish,
    note,
    bus,
    store,
    decoder,
    currentRecordingId: () => recorder.currentRecordingId,
    rotateKeys,
    async close() {
      if (closed) return;
      closed = true;
      stopClockEvents();
      recorder.close();
      // A launch that recorded nothing leaves no empty recording behind.
      const launchSummary = store.summary(launch.id);
      if (launchSummary && launchSummary.eventCount === 0) store.delete(launch.id);
    },
  };
}
