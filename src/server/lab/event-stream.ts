import type { Request, Response } from 'express';
import { labEventSchemas, type LabEvent } from '../../common/lab-events';
import type { Logger } from '../server-options';
import type { EventBus } from './event-bus';
import type { JwtDecoder } from './jwt-decoder';

export interface EventStreamOptions {
  bus: EventBus;
  decoder: JwtDecoder;
  logger?: Logger;
  /** A comment line this often keeps proxies and the fetch reader from timing out. */
  heartbeatMs?: number;
  /** Events waiting for one client beyond this: the client is too slow and is dropped. */
  maxBacklog?: number;
}

/** Characters of events joined into one write (about 16 events of a token request). */
const BATCH_CHARS = 128 * 1024;

/**
 * Serves the live events as Server-Sent Events (`event: lab`, `id:` the event id). The UI reads it
 * with fetch, so the secret travels in a header, not in the URL. `?since=` (or Last-Event-ID)
 * replays the last events the lab recorded (recorder.ts). Each event is decoded lazily and validated
 * against the schema before it leaves, unless the bus says the capture built it (its exchanges match
 * the schema by construction); notes, clock changes, the demo client's reports and replayed events
 * always are. A client that cannot keep up is dropped rather than buffered without bound.
 */
export function serveEventStream(req: Request, res: Response, options: EventStreamOptions): void {
  const { bus, decoder, logger, heartbeatMs = 15_000, maxBacklog = 1000 } = options;
  const since =
    (typeof req.query.since === 'string' ? req.query.since : undefined) ??
    req.get('last-event-id') ??
    undefined;

  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Accel-Buffering', 'no');
  // HEAD, which Express routes here: the stream's headers, and no stream (which would never end).
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  res.flushHeaders();
  res.write(': trusty-lab events\n\n');

  // Replayed events are bounded by the recorder's replay; only live events count against the backlog.
  let replay: LabEvent[] = [];
  const backlog: { event: LabEvent; builtByCapture: boolean }[] = [];
  let pumping = false;
  let closed = false;

  const close = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(heartbeat);
    backlog.length = 0;
    replay = [];
    res.end();
  };

  const writeWithBackpressure = (chunk: string): Promise<void> | undefined => {
    if (res.write(chunk)) return undefined;
    return new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  };

  // The events of one turn go out in one write, joined here: not by corking the response, whose
  // write() then answers for a buffer Node versions flush and signal ('drain') differently. A batch
  // is written once it reaches BATCH_CHARS, and the rest once the queue is empty. Enriching an event
  // waits for nothing but the microtask queue when the provider verified its JWTs or they are in the
  // algorithms it uses (jwt-decoder.ts).
  const pumpQueued = async (): Promise<void> => {
    if (pumping) return;
    pumping = true;
    let batch = '';
    const queued = () => replay.length + backlog.length;
    const send = async (): Promise<void> => {
      const wait = writeWithBackpressure(batch);
      batch = '';
      if (wait) await wait;
    };
    try {
      // Until nothing is queued or waiting to be sent: events published while a batch waited for the
      // client go out too.
      while (!closed && !res.writableEnded && (queued() > 0 || batch !== '')) {
        if (queued() === 0 || batch.length >= BATCH_CHARS) {
          await send();
          continue;
        }
        const replayed = replay.shift();
        const { event, builtByCapture } = replayed
          ? { event: replayed, builtByCapture: false }
          : (backlog.shift() as (typeof backlog)[number]);
        const enriched = await decoder.enrich(event);
        if (closed || res.writableEnded) return;
        let sent: LabEvent = enriched;
        if (!builtByCapture) {
          const parsed = labEventSchemas().labEvent.safeParse(enriched);
          if (!parsed.success) {
            logger?.warn('lab events: an event failed validation and was not sent', { id: event.id });
            continue;
          }
          sent = parsed.data;
        }
        batch += `event: lab\nid: ${event.id}\ndata: ${JSON.stringify(sent)}\n\n`;
      }
    } finally {
      pumping = false;
    }
  };

  const pump = async (): Promise<void> => {
    try {
      await pumpQueued();
    } catch (e) {
      // Whatever an event holds, it must not end the process (a rejection nobody handles would):
      // this stream ends, and the viewer reconnects.
      logger?.warn('lab events: an event could not be sent; the stream was closed', {
        error: (e as Error).message,
      });
      close();
    }
  };

  // Events published in one turn of the event loop (the responses it finished) are sent together in
  // the next: one write to the socket instead of one per event.
  let scheduled = false;
  const enqueue = (event: LabEvent, builtByCapture: boolean): void => {
    if (closed) return;
    backlog.push({ event, builtByCapture });
    if (backlog.length > maxBacklog) {
      logger?.warn('lab events: a slow client was dropped', { backlog: backlog.length });
      close();
      return;
    }
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void pump();
    });
  };

  // Replayed and subscribed in one synchronous step: nothing can be published in between, so nothing
  // is missed or sent twice (the replay writes the recorder's queue first).
  replay = bus.since(since);
  // The stream ends when the bus does (the provider closing): it would keep the lab's server open.
  const unsubscribe = bus.subscribe(enqueue, close);
  const heartbeat = setInterval(() => {
    if (!closed && !res.writableEnded) res.write(': heartbeat\n\n');
  }, heartbeatMs);
  heartbeat.unref();
  req.on('close', close);
  res.on('close', close);
  void pump();
}
