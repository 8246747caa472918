import { request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { expressMessageClasses, runsAsFunction } from '../../../src/server/http/express-message-classes';
import { listen, type Listening } from '../../../src/server/http/listen';

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The prototypes node:http gave a request and its response, before the app saw them. */
function prototypesOnArrival(server: Server): { request?: object; response?: object } {
  const seen: { request?: object; response?: object } = {};
  server.prependListener('request', (req: IncomingMessage, res) => {
    seen.request = Object.getPrototypeOf(req) as object;
    seen.response = Object.getPrototypeOf(res) as object;
  });
  return seen;
}

describe('expressMessageClasses', () => {
  let listening: Listening | undefined;
  afterEach(async () => {
    await listening?.close();
    listening = undefined;
  });

  const app = () => {
    const made = express();
    made.get('/hello', (req, res) => {
      res.json({ query: req.query.name, app: req.app === made, path: req.path });
    });
    return made;
  };

  it("makes requests and responses with the app's prototypes, so Express has none to change", async () => {
    const handler = app();
    const classes = expressMessageClasses(handler);
    expect(classes).toBeDefined();
    listening = await listen(handler, '127.0.0.1', 0, classes);
    const seen = prototypesOnArrival(listening.server);
    const answer = await get(listening.port, '/hello?name=x');
    expect(seen.request).toBe(handler.request);
    expect(seen.response).toBe(handler.response);
    // Express works as it does with node:http's own classes.
    expect(answer).toEqual({ status: 200, body: JSON.stringify({ query: 'x', app: true, path: '/hello' }) });
  });

  it('adopts an app made after the server listens; until then the objects are plain node:http ones', async () => {
    const classes = expressMessageClasses();
    const state: { handler?: express.Express } = {};
    listening = await listen(
      (req, res) => (state.handler ? state.handler(req, res) : res.end('not yet')),
      '127.0.0.1',
      0,
      classes,
    );
    const seen = prototypesOnArrival(listening.server);
    expect((await get(listening.port, '/hello')).body).toBe('not yet');
    expect(seen.request).not.toBe(app().request);
    const handler = app();
    state.handler = handler;
    classes?.adopt(handler);
    expect((await get(listening.port, '/hello?name=y')).status).toBe(200);
    expect(seen.request).toBe(handler.request);
    expect(seen.response).toBe(handler.response);
  });

  it('without the classes, the objects arrive with node:http’s prototypes (what Express then changes)', async () => {
    const handler = app();
    listening = await listen(handler, '127.0.0.1', 0);
    const seen = prototypesOnArrival(listening.server);
    await get(listening.port, '/hello');
    expect(seen.request).not.toBe(handler.request);
  });

  it('extends only constructors that run as functions (node:http’s), never classes', () => {
    function Plain(this: object) {
      void this;
    }
    class Modern {}
    expect(runsAsFunction(Plain as unknown as new () => object)).toBe(true);
    expect(runsAsFunction(Modern)).toBe(false);
  });
});
