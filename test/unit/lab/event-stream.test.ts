import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../../src/server/lab/event-bus';
import { serveEventStream } from '../../../src/server/lab/event-stream';
import { createJwtDecoder } from '../../../src/server/lab/jwt-decoder';
import { makeExchange } from './helpers';

/** A response that logs what reaches it: cork, uncork and each write, in order. */
function recordingResponse() {
  const log: string[] = [];
  const res = Object.assign(new EventEmitter(), {
    writableEnded: false,
    status: () => res,
    setHeader: () => undefined,
    flushHeaders: () => undefined,
    cork: () => void log.push('cork'),
    uncork: () => void log.push('uncork'),
    write: (chunk: string) => {
      const id = /^id: (.+)$/m.exec(chunk)?.[1];
      log.push(id ? `write ${id}` : 'write');
      return true;
    },
    end: () => void (res.writableEnded = true),
  });
  return { res: res as unknown as Response, log };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('the lab event stream', () => {
  it('sends the events published in one turn of the event loop in one corked write', async () => {
    const bus = createEventBus({ capacity: 100 });
    const req = Object.assign(new EventEmitter(), { query: {}, get: () => undefined, method: 'GET' });
    const { res, log } = recordingResponse();
    serveEventStream(req as unknown as Request, res, { bus, decoder: createJwtDecoder() });
    await turn();
    log.length = 0;

    const events = [makeExchange(), makeExchange(), makeExchange()];
    for (const event of events) bus.publish(event);
    expect(log).toEqual([]); // nothing written in the turn that published them
    await turn();
    await turn();
    expect(log).toEqual(['cork', ...events.map((e) => `write ${e.id}`), 'uncork']);
    req.emit('close');
  });
});
