import type { Logger } from './server-options';

type Level = 'info' | 'warn' | 'error';

/**
 * Structured logs on stderr: one JSON object per line, or a readable line on a terminal. Callers pass
 * only non-secret fields (never tokens, passwords, keys or request bodies).
 */
export function createStderrLogger(stream: NodeJS.WriteStream = process.stderr): Logger {
  const pretty = Boolean(stream.isTTY);
  const write = (level: Level, msg: string, fields: Record<string, unknown> = {}) => {
    const time = new Date().toISOString();
    if (pretty) {
      const extra = Object.entries(fields)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      stream.write(`${time.slice(11, 19)} ${level.padEnd(5)} ${msg}${extra ? ` ${extra}` : ''}\n`);
    } else {
      stream.write(`${JSON.stringify({ time, level, msg, ...fields })}\n`);
    }
  };
  return {
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}

/** For tests and embedding: drops everything. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
