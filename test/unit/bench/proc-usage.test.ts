import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseProcIoWrittenBytes,
  parseProcStat,
  parseProcStatus,
  readCpuSeconds,
  readMemory,
  readWrittenBytes,
} from '../../../src/bench/proc-usage';

// A real /proc/PID/stat line, with a command name holding a space and a parenthesis.
const stat =
  '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 29512 0 0 0 1234 567 0 0 20 0 11 0 98765 1234567890 18850 ' +
  '18446744073709551615 1 1 0 0 0 0 0 4096 134234626 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0';

describe('parseProcStat', () => {
  it('adds utime and stime (fields 14 and 15), counting fields after the last parenthesis', () => {
    expect(parseProcStat(stat).ticks).toBe(1234 + 567);
  });
  it('refuses text that is not a stat line', () => {
    expect(() => parseProcStat('no parenthesis here')).toThrow();
    expect(() => parseProcStat('1 (x) S 1')).toThrow(/utime/);
  });
});

describe('parseProcStatus', () => {
  const status = [
    'Name:\tnode',
    'VmPeak:\t 1300000 kB',
    'VmHWM:\t  163704 kB',
    'VmRSS:\t   74812 kB',
    'Threads:\t11',
  ].join('\n');
  it('reads VmRSS as the current and VmHWM as the peak resident set, not VmPeak', () => {
    expect(parseProcStatus(status)).toEqual({ rssKb: 74812, peakRssKb: 163704 });
  });
  it('reads the anonymous and file-backed parts of the resident set where the kernel gives them', () => {
    const split = `${status}\nRssAnon:\t   14576 kB\nRssFile:\t   46072 kB\nRssShmem:\t       0 kB`;
    expect(parseProcStatus(split)).toEqual({
      rssKb: 74812,
      peakRssKb: 163704,
      anonKb: 14576,
      fileKb: 46072,
    });
  });
  it('refuses a status without VmRSS', () => {
    expect(() => parseProcStatus('Name:\tnode\nVmHWM:\t 1 kB')).toThrow(/VmRSS/);
  });
});

describe('parseProcIoWrittenBytes', () => {
  it('reads wchar, the bytes passed to write(2) and its kin', () => {
    const io = 'rchar: 8124\nwchar: 20480\nsyscr: 12\nsyscw: 7\nread_bytes: 0\nwrite_bytes: 4096\n';
    expect(parseProcIoWrittenBytes(io)).toBe(20480);
  });
  it('refuses a text without wchar', () => {
    expect(() => parseProcIoWrittenBytes('rchar: 1\nwrite_bytes: 4096\n')).toThrow(/wchar/);
  });
});

describe.runIf(process.platform === 'linux')('reading this process from /proc', () => {
  it('gives positive CPU seconds and a resident set no larger than its peak', () => {
    expect(readCpuSeconds(process.pid)).toBeGreaterThan(0);
    const memory = readMemory(process.pid);
    expect(memory.rssKb).toBeGreaterThan(1000);
    expect(memory.peakRssKb).toBeGreaterThanOrEqual(memory.rssKb);
  });
  it('counts the bytes this process writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'proc-io-'));
    try {
      const before = readWrittenBytes(process.pid);
      writeFileSync(join(dir, 'f'), Buffer.alloc(65536));
      expect(readWrittenBytes(process.pid) - before).toBeGreaterThanOrEqual(65536);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
