import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { leastRecentlyServedFirst } from '../../../src/server/http/least-recently-served-first';
import { listen, type Listening } from '../../../src/server/http/listen';
import { rawExchange } from '../../support/raw-http';

/** A request on `socket`, named for the test; its response is never used by the listener. */
const request = (socket: object, name: string) =>
  [{ socket, name } as unknown as IncomingMessage, {} as ServerResponse] as const;
const nameOf = (req: IncomingMessage): string => (req as unknown as { name: string }).name;

/** A dispatcher whose turns the test ends by hand, and the names handed on, in order. */
function dispatcher(listener?: (req: IncomingMessage) => void) {
  const handedOn: string[] = [];
  let scheduled: (() => void)[] = [];
  const dispatch = leastRecentlyServedFirst(
    (req) => {
      handedOn.push(nameOf(req));
      listener?.(req);
    },
    (handOn) => scheduled.push(handOn),
  );
  const endTurn = (): void => {
    const due = scheduled;
    scheduled = [];
    for (const handOn of due) handOn();
  };
  return { dispatch, handedOn, endTurn, scheduledCount: () => scheduled.length };
}

describe('leastRecentlyServedFirst', () => {
  it('hands nothing on before the turn has read all its requests, then all of them', () => {
    const { dispatch, handedOn, endTurn, scheduledCount } = dispatcher();
    const [a, b] = [{}, {}];
    dispatch(...request(a, 'a1'));
    dispatch(...request(b, 'b1'));
    expect(handedOn).toEqual([]);
    expect(scheduledCount()).toBe(1);
    endTurn();
    expect(handedOn).toEqual(['a1', 'b1']);
  });

  it('serves first the connection served longest ago, not the one the kernel reported first', () => {
    const { dispatch, handedOn, endTurn } = dispatcher();
    const [a, b, c] = [{}, {}, {}];
    // Turn 1: served a, b, c in that order.
    dispatch(...request(a, 'a1'));
    dispatch(...request(b, 'b1'));
    dispatch(...request(c, 'c1'));
    endTurn();
    // Turn 2 reports c, b, a (say, epoll's order): a has waited longest since its last answer.
    dispatch(...request(c, 'c2'));
    dispatch(...request(b, 'b2'));
    dispatch(...request(a, 'a2'));
    endTurn();
    expect(handedOn.slice(3)).toEqual(['a2', 'b2', 'c2']);
    // Turn 3: only b and c come; then a new connection d, which was never served, goes first.
    const d = {};
    dispatch(...request(c, 'c3'));
    dispatch(...request(b, 'b3'));
    dispatch(...request(d, 'd1'));
    endTurn();
    expect(handedOn.slice(6)).toEqual(['d1', 'b3', 'c3']);
  });

  it('keeps the order of requests pipelined on one connection', () => {
    const { dispatch, handedOn, endTurn } = dispatcher();
    const [a, b] = [{}, {}];
    dispatch(...request(a, 'a1'));
    endTurn();
    dispatch(...request(a, 'a2'));
    dispatch(...request(a, 'a3'));
    dispatch(...request(b, 'b1'));
    dispatch(...request(a, 'a4'));
    endTurn();
    expect(handedOn).toEqual(['a1', 'b1', 'a2', 'a3', 'a4']);
  });

  it('leaves the rest of a turn to the next when the listener throws, and lets the error through', () => {
    const failure = new Error('listener failed');
    const { dispatch, handedOn, endTurn, scheduledCount } = dispatcher((req) => {
      if (nameOf(req) === 'b1') throw failure;
    });
    const [a, b, c] = [{}, {}, {}];
    dispatch(...request(a, 'a1'));
    dispatch(...request(b, 'b1'));
    dispatch(...request(c, 'c1'));
    expect(() => endTurn()).toThrow(failure);
    expect(handedOn).toEqual(['a1', 'b1']);
    expect(scheduledCount()).toBe(1);
    endTurn();
    expect(handedOn).toEqual(['a1', 'b1', 'c1']);
  });
});

describe('a server that listens with it', () => {
  let listening: Listening | undefined;
  afterEach(async () => {
    await listening?.close();
    listening = undefined;
  });

  /**
   * Sends `requests` GETs in one write on a new connection, the last asking to close it; resolves
   * with all that came back.
   */
  const pipelined = (port: number, requests: number): Promise<string> =>
    rawExchange(
      port,
      'GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'.repeat(requests - 1) +
        'GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
    );

  /** A keep-alive connection that sends one GET at a time and resolves with its answer. */
  const connection = async (port: number) => {
    const socket: Socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.setEncoding('utf8');
    return {
      get: (path: string): Promise<string> =>
        new Promise((resolve) => {
          socket.once('data', (chunk: string) => resolve(chunk));
          socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
        }),
      close: () => socket.destroy(),
    };
  };

  it('serves the connection served longest ago first when requests come in one turn', async () => {
    const handled: string[] = [];
    listening = await listen(
      (req, res) => {
        handled.push(req.url ?? '');
        res.end('ok');
      },
      '127.0.0.1',
      0,
    );
    const [a, b] = await Promise.all([connection(listening.port), connection(listening.port)]);
    await b.get('/b0');
    await a.get('/a0');
    // Both written before the server's next turn, a's first: the kernel reports a's socket first,
    // and b was served longer ago.
    await Promise.all([a.get('/a1'), b.get('/b1')]);
    a.close();
    b.close();
    expect(handled).toEqual(['/b0', '/a0', '/b1', '/a1']);
  });

  it('answers every request, pipelined ones in order, over several connections at once', async () => {
    let served = 0;
    listening = await listen(
      (_req, res) => {
        served += 1;
        res.end(`answer ${served}`);
      },
      '127.0.0.1',
      0,
    );
    const port = listening.port;
    const answers = await Promise.all([pipelined(port, 3), pipelined(port, 1), pipelined(port, 2)]);
    expect(served).toBe(6);
    for (const answer of answers) {
      const numbers = [...answer.matchAll(/answer (\d+)/g)].map((m) => Number(m[1]));
      expect(numbers).toEqual([...numbers].sort((x, y) => x - y));
    }
    expect(answers.map((a) => a.split('HTTP/1.1 200').length - 1)).toEqual([3, 1, 2]);
  });
});
