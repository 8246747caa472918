import { describe, expect, it, vi } from 'vitest';
import { existsSync } from 'node:fs';
import { aboutDetail, DOCUMENTATION_FILE } from '../../../src/main/app-info';
import { jsonLogger } from '../../../src/main/json-logger';
import { resetLab, type ResetLabDeps } from '../../../src/main/reset-lab';
import type { RunningServer } from '../../../src/server/server-options';

const server = { labOrigin: 'http://127.0.0.1:1', issuer: 'http://127.0.0.1:2' } as RunningServer;

function deps(confirmed: boolean, reset: () => Promise<RunningServer> = async () => server) {
  return {
    confirm: vi.fn(async () => confirmed),
    reset: vi.fn(reset),
    reopen: vi.fn(async () => undefined),
    showError: vi.fn(async () => undefined),
  } satisfies ResetLabDeps;
}

describe('resetLab', () => {
  it('does nothing without confirmation', async () => {
    const d = deps(false);
    expect(await resetLab(d)).toBe('cancelled');
    expect(d.reset).not.toHaveBeenCalled();
    expect(d.reopen).not.toHaveBeenCalled();
  });
  it('resets then reopens the window on the restarted lab', async () => {
    const d = deps(true);
    expect(await resetLab(d)).toBe('reset');
    expect(d.reopen).toHaveBeenCalledExactlyOnceWith(server);
  });
  it('tells the user when the reset fails', async () => {
    const d = deps(true, async () => {
      throw new Error('EACCES');
    });
    expect(await resetLab(d)).toBe('failed');
    expect(d.showError).toHaveBeenCalledExactlyOnceWith(expect.stringContaining('EACCES'));
    expect(d.reopen).not.toHaveBeenCalled();
  });
});

describe('jsonLogger', () => {
  it('writes one JSON object per line, info to out and problems to err', () => {
    const out: string[] = [];
    const err: string[] = [];
    const logger = jsonLogger({ out: (l) => out.push(l), err: (l) => err.push(l) });
    logger.info('started', { issuer: 'http://127.0.0.1:2' });
    logger.warn('slow');
    logger.error('failed', { code: 1 });
    expect(out.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ level: 'info', msg: 'started', issuer: 'http://127.0.0.1:2' }),
    ]);
    expect(err.map((l) => JSON.parse(l).level)).toEqual(['warn', 'error']);
  });
});

describe('app info', () => {
  it('documentation is the README shipped with the app (no remote content)', () => {
    expect(DOCUMENTATION_FILE).toBe('README.md');
    expect(existsSync(DOCUMENTATION_FILE)).toBe(true);
  });
  it('about shows versions and the data directory', () => {
    const text = aboutDetail({ app: '0.1.0', electron: '45.5.0', chrome: '142', node: '22' }, '/u/lab-data');
    expect(text).toContain('Version 0.1.0');
    expect(text).toContain('Electron 45.5.0');
    expect(text).toContain('/u/lab-data');
  });
});
