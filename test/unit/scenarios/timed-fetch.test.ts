import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { timedFetch } from '../../../src/scenarios/timed-fetch';

describe('the scenarios’ fetch', () => {
  const sockets: Socket[] = [];
  // Accepts every connection and never answers.
  const silent = createServer((socket) => void sockets.push(socket));
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.destroy();
    silent.close();
  });

  it('gives up on a server that accepts the connection and never answers', async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    await expect(timedFetch(200)(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });

  it('keeps a signal the caller gives', async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const controller = new AbortController();
    const pending = timedFetch(60_000)(`http://127.0.0.1:${port}/`, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
