import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../../src/server/lab/event-bus';
import { serveEventStream } from '../../../src/server/lab/event-stream';
import { createJwtDecoder } from '../../../src/server/lab/jwt-decoder';
import { makeExchange } from './helpers';

/** A response that logs each write: the ids of the events it carries. */
function recordingResponse(accepts: () => boolean = () => true) {
  const log: string[] = [];
  const res = Object.assign(new EventEmitter(), {
    writableEnded: false,
    status: () => res,
    setHeader: () => undefined,
    flushHeaders: () => undefined,
    write: (chunk: string) => {
      log.push(`write ${[...chunk.matchAll(/^id: (.+)$/gm)].map((m) => m[1]).join(' ')}`);
      return accepts();
    },
    end: () => void (res.writableEnded = true),
  });
  return { res: res as unknown as Response, log };
}

const turn = () => new Promise((r) => setImmediate(r));

function openStream(accepts?: () => boolean) {
  const bus = createEventBus();
  const req = Object.assign(new EventEmitter(), { query: {}, get: () => undefined, method: 'GET' });
  const { res, log } = recordingResponse(accepts);
  serveEventStream(req as unknown as Request, res, { bus, decoder: createJwtDecoder() });
  return { bus, req, res: res as unknown as EventEmitter, log };
}

describe('the lab event stream', () => {
  it('validates every event against the schema but those the capture built, which it sends as they are', async () => {
    const { bus, req, log } = openStream();
    await turn();
    log.length = 0;
    // The same flaw twice: refused when anyone else published it, sent when the bus says the capture
    // built it (its exchanges match the schema by construction, and are not checked again).
    const reported = { ...makeExchange(), traceId: 'not-hex' };
    const captured = { ...makeExchange(), traceId: 'not-hex' };
    bus.publish(reported);
    bus.publish(captured, true);
    await turn();
    await turn();
    expect(log).toEqual([`write ${captured.id}`]);
    req.emit('close');
  });

  it('sends the events published in one turn of the event loop in one write', async () => {
    const { bus, req, log } = openStream();
    await turn();
    log.length = 0;

    const events = [makeExchange(), makeExchange(), makeExchange()];
    for (const event of events) bus.publish(event);
    expect(log).toEqual([]); // nothing written in the turn that published them
    await turn();
    await turn();
    expect(log).toEqual([`write ${events.map((e) => e.id).join(' ')}`]);
    req.emit('close');
  });

  it('waits for a client that must catch up, then sends what was published meanwhile', async () => {
    let accepting = false;
    const { bus, req, res, log } = openStream(() => accepting);
    await turn();
    log.length = 0;
    const first = makeExchange();
    bus.publish(first);
    await turn();
    expect(log).toEqual([`write ${first.id}`]); // not accepted: the stream waits for 'drain'
    const meanwhile = [makeExchange(), makeExchange()];
    for (const event of meanwhile) bus.publish(event);
    await turn();
    await turn();
    expect(log).toHaveLength(1);
    accepting = true;
    res.emit('drain');
    await turn();
    await turn();
    expect(log).toEqual([`write ${first.id}`, `write ${meanwhile.map((e) => e.id).join(' ')}`]);
    req.emit('close');
  });

  it('writes a long queue in batches of at most about 128 KB', async () => {
    const { bus, req, log } = openStream();
    await turn();
    log.length = 0;
    const body = 'x'.repeat(40 * 1024);
    const events = Array.from({ length: 8 }, () => makeExchange({ responseBody: body }));
    for (const event of events) bus.publish(event);
    await turn();
    await turn();
    // Each event is about 40 KB as JSON: a write is made once a batch reaches 128 KB.
    expect(log).toEqual([
      `write ${events
        .slice(0, 4)
        .map((e) => e.id)
        .join(' ')}`,
      `write ${events
        .slice(4)
        .map((e) => e.id)
        .join(' ')}`,
    ]);
    req.emit('close');
  });
});

describe('the lab event stream, when an event cannot be sent', () => {
  it('closes the stream with a warning instead of leaving a rejection that ends the process', async () => {
    const bus = createEventBus();
    const req = Object.assign(new EventEmitter(), { query: {}, get: () => undefined, method: 'GET' });
    const { res } = recordingResponse();
    const warnings: string[] = [];
    const logger = { info() {}, warn: (message: string) => void warnings.push(message), error() {} };
    const decoder = {
      ...createJwtDecoder(),
      enrich: () => Promise.reject(new RangeError('Maximum call stack size exceeded')),
    };
    serveEventStream(req as unknown as Request, res, { bus, decoder, logger });
    await turn();
    bus.publish(makeExchange());
    await turn();
    await turn();
    expect(warnings).toEqual(['lab events: an event could not be sent; the stream was closed']);
    expect(res.writableEnded).toBe(true);
    expect(bus.listenerCount()).toBe(0);
  });
});
