import { describe, expect, it, vi } from 'vitest';
import type { LabConfig } from '../../../src/server/config/lab-config-schema';
import type { RunningServer, ServerOptions } from '../../../src/server/server-options';
import { ServerLifecycle } from '../../../src/main/server-lifecycle';

const config = { server: {}, clients: [], users: [] } as unknown as LabConfig;

function fakeServer(port: number, labPort: number, log: string[]): RunningServer {
  return {
    issuer: `http://127.0.0.1:${port}`,
    providerOrigin: `http://127.0.0.1:${port}`,
    labOrigin: `http://127.0.0.1:${labPort}`,
    labSecret: `secret-${port}`,
    labUrl: `http://127.0.0.1:${labPort}/#secret=secret-${port}`,
    rotateKeys: async () => [],
    close: async () => {
      log.push(`close ${port}`);
    },
  };
}

function setup(options: { busyPorts?: number[] } = {}) {
  const log: string[] = [];
  const calls: ServerOptions[] = [];
  let next = 41000;
  const createServer = vi.fn(async (o: ServerOptions) => {
    calls.push(o);
    if (o.port !== undefined && options.busyPorts?.includes(o.port)) throw new Error('EADDRINUSE');
    const port = o.port || next++;
    const labPort = o.labPort || next++;
    log.push(`start ${port}`);
    return fakeServer(port, labPort, log);
  });
  const clearDataDir = vi.fn(async (dir: string) => {
    log.push(`clear ${dir}`);
  });
  const lifecycle = new ServerLifecycle({
    createServer,
    loadConfig: () => config,
    clearDataDir,
    options: { dataDir: '/data/lab-data', host: '127.0.0.1', rendererDir: '/app/out/renderer' },
  });
  return { lifecycle, log, calls, createServer, clearDataDir };
}

describe('ServerLifecycle', () => {
  it('starts once with the configuration and the fixed options', async () => {
    const { lifecycle, calls } = setup();
    const a = await lifecycle.start();
    const b = await lifecycle.start();
    expect(a).toBe(b);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      config,
      dataDir: '/data/lab-data',
      host: '127.0.0.1',
      rendererDir: '/app/out/renderer',
      port: 0,
      labPort: 0,
    });
    expect(lifecycle.current).toBe(a);
  });

  it('resets in order: close, clear the data directory, start on the same ports', async () => {
    const { lifecycle, log, calls } = setup();
    const first = await lifecycle.start();
    const second = await lifecycle.reset();
    expect(log).toEqual(['start 41000', 'close 41000', 'clear /data/lab-data', 'start 41000']);
    expect(calls[1]).toMatchObject({ port: 41000, labPort: 41001 });
    expect(second.labOrigin).toBe(first.labOrigin);
    expect(lifecycle.current).toBe(second);
  });

  it('falls back to free ports when the old ones are taken', async () => {
    const { lifecycle, calls } = setup({ busyPorts: [41000] });
    await lifecycle.start();
    const second = await lifecycle.reset();
    expect(calls.map((c) => c.port)).toEqual([0, 41000, 0]);
    expect(second.issuer).not.toBe('http://127.0.0.1:41000');
  });

  it('never runs two operations at once (double reset, quit during reset)', async () => {
    const { lifecycle, log } = setup();
    await lifecycle.start();
    await Promise.all([lifecycle.reset(), lifecycle.reset(), lifecycle.stop()]);
    expect(log).toEqual([
      'start 41000',
      'close 41000',
      'clear /data/lab-data',
      'start 41000',
      'close 41000',
      'clear /data/lab-data',
      'start 41000',
      'close 41000',
    ]);
    expect(lifecycle.current).toBeNull();
  });

  it('stop is a no-op when nothing runs, and a failed start does not block the next one', async () => {
    const { lifecycle, createServer } = setup();
    await lifecycle.stop();
    createServer.mockRejectedValueOnce(new Error('bad configuration'));
    await expect(lifecycle.start()).rejects.toThrow('bad configuration');
    expect(lifecycle.current).toBeNull();
    await expect(lifecycle.start()).resolves.toMatchObject({ issuer: 'http://127.0.0.1:41000' });
  });
});
