import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Server resource use read from Linux's /proc (proc(5)): CPU time from /proc/PID/stat, resident
 * memory now (VmRSS) and at its peak (VmHWM) from /proc/PID/status, bytes written from /proc/PID/io.
 * Read from outside the server, so measuring costs it nothing.
 */

export interface CpuTicks {
  /** utime + stime, in clock ticks. */
  readonly ticks: number;
}

export interface MemoryUsage {
  readonly rssKb: number;
  readonly peakRssKb: number;
  /**
   * The resident set's anonymous pages (the heaps: what the lab's code holds) and those mapped from
   * files (node's binary and libraries, shared with every node process); where the kernel says (4.5+).
   */
  readonly anonKb?: number;
  readonly fileKb?: number;
}

/**
 * Parses /proc/PID/stat. The second field (comm) is in parentheses and may itself hold spaces or
 * parentheses, so fields are counted from the last ')'; utime and stime are fields 14 and 15.
 */
export function parseProcStat(text: string): CpuTicks {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error('not a /proc/PID/stat line');
  // After ") " comes field 3 (state); utime is field 14, so index 11 of the rest.
  const rest = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('no utime/stime in /proc/PID/stat');
  return { ticks: utime + stime };
}

/** Parses VmRSS and VmHWM (kB) out of /proc/PID/status, and RssAnon and RssFile where there. */
export function parseProcStatus(text: string): MemoryUsage {
  const optional = (name: string): number | undefined => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  };
  const field = (name: string): number => {
    const kb = optional(name);
    if (kb === undefined) throw new Error(`no ${name} in /proc/PID/status`);
    return kb;
  };
  const anonKb = optional('RssAnon');
  const fileKb = optional('RssFile');
  return {
    rssKb: field('VmRSS'),
    peakRssKb: field('VmHWM'),
    ...(anonKb === undefined ? {} : { anonKb }),
    ...(fileKb === undefined ? {} : { fileKb }),
  };
}

let ticksPerSecond: number | undefined;

/** sysconf(_SC_CLK_TCK), almost always 100 on Linux. */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU seconds (user + system) the process has used so far. */
export const readCpuSeconds = (pid: number): number =>
  parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).ticks / clockTicksPerSecond();

export const readMemory = (pid: number): MemoryUsage =>
  parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));

/**
 * Parses `wchar` out of /proc/PID/io: the bytes the process has passed to write(2) and its kin so far,
 * to sockets and files alike, whether or not they reached the disk.
 */
export function parseProcIoWrittenBytes(text: string): number {
  const match = /^wchar:\s+(\d+)$/m.exec(text);
  if (!match?.[1]) throw new Error('no wchar in /proc/PID/io');
  return Number(match[1]);
}

/** Bytes the process has written so far (`wchar`); NaN where /proc/PID/io cannot be read. */
export function readWrittenBytes(pid: number): number {
  try {
    return parseProcIoWrittenBytes(readFileSync(`/proc/${pid}/io`, 'utf8'));
  } catch {
    return Number.NaN;
  }
}
