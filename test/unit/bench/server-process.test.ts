import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { issuerLine } from '../../../src/bench/server-process';

/** A child that prints `lines` on stdout, then (if `chatter`) a line every millisecond until killed. */
function child(lines: string[], chatter: boolean): ChildProcess {
  const script = `${lines.map((l) => `console.log(${JSON.stringify(l)});`).join('')}${
    chatter ? "setInterval(() => console.log('x'.repeat(1000)), 1);" : ''
  }`;
  return spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
}

describe('issuerLine (the issuer a benchmarked server prints)', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
  });

  it('skips lines that are not a URL (a V8 trace before it), then drops what follows', async () => {
    const c = child(['[1:0x1]  12 ms: Scavenge 4.0 (5.0) -> 3.5 (6.0) MB', 'http://127.0.0.1:4100'], true);
    children.push(c);
    await expect(issuerLine(c, 10_000)).resolves.toBe('http://127.0.0.1:4100');
    // Nothing keeps the server's later output: no listener collects it, and the stream still flows.
    expect(c.stdout?.listenerCount('data')).toBe(0);
    expect(c.stdout?.readableFlowing).toBe(true);
  });

  it('fails when the server exits without printing one', async () => {
    const c = child(['not an issuer'], false);
    children.push(c);
    await expect(issuerLine(c, 10_000)).rejects.toThrow(/exited with 0/);
  });
});
