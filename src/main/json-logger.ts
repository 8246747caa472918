import type { Logger } from '../server/server-options';

/** One JSON object per line on stdout/stderr; callers never pass secrets (ServerOptions.logger contract). */
export function jsonLogger(write: { out(line: string): void; err(line: string): void }): Logger {
  const line = (level: string, msg: string, fields?: Record<string, unknown>) =>
    JSON.stringify({ time: new Date().toISOString(), level, msg, ...(fields ?? {}) });
  return {
    info: (msg, fields) => write.out(line('info', msg, fields)),
    warn: (msg, fields) => write.err(line('warn', msg, fields)),
    error: (msg, fields) => write.err(line('error', msg, fields)),
  };
}
