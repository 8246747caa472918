import { randomHex } from './random';

/**
 * W3C Trace Context §3.2: `traceparent: 00-<trace-id>-<parent-id>-<flags>`. All requests of one flow
 * share the trace id, each request has its own span (parent) id; the lab merges the client's and the
 * server's view of one request by the pair.
 */

/** 16 random bytes as 32 lowercase hex; all-zero is invalid (§3.2.2.3) and astronomically unlikely, but excluded. */
export function generateTraceId(): string {
  let id = randomHex(16);
  while (/^0+$/.test(id)) id = randomHex(16);
  return id;
}

/** 8 random bytes as 16 lowercase hex, never all zero (§3.2.2.4). */
export function generateSpanId(): string {
  let id = randomHex(8);
  while (/^0+$/.test(id)) id = randomHex(8);
  return id;
}

/** Version 00, flags 01 (sampled: the lab records every request). */
export function formatTraceparent(traceId: string, spanId: string): string {
  return `00-${traceId}-${spanId}-01`;
}

export function parseTraceparent(value: string): { traceId: string; spanId: string; flags: string } | null {
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(value.trim());
  if (!match || /^0+$/.test(match[1]!) || /^0+$/.test(match[2]!)) return null;
  return { traceId: match[1]!, spanId: match[2]!, flags: match[3]! };
}
