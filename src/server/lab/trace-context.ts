import { randomHex } from '../domain/random-pool';

export interface TraceContext {
  /** W3C Trace Context trace-id: 32 lower-case hex. */
  readonly traceId: string;
  /** The caller's span id (parent-id of `traceparent`): 16 lower-case hex. */
  readonly spanId: string;
}

// W3C Trace Context §3.2.2: version-traceid-parentid-flags; all-zero ids are invalid (§3.2.2.3, §3.2.2.4).
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** Reads a `traceparent` header; undefined when absent or malformed (then the lab mints its own). */
export function parseTraceparent(value: string | undefined): TraceContext | undefined {
  if (!value) return undefined;
  const match = TRACEPARENT.exec(value.trim().toLowerCase());
  if (!match) return undefined;
  const [, version, traceId, spanId] = match;
  // §3.2.2.1: version ff is invalid.
  if (version === 'ff' || !traceId || !spanId || traceId === ZERO_TRACE || spanId === ZERO_SPAN)
    return undefined;
  return { traceId, spanId };
}

// Ids are minted for every captured request, from a pool of random bytes (random-pool.ts). W3C Trace
// Context §3.2.2.3 asks for random trace ids.
function nonZeroHex(bytes: number): string {
  const hex = randomHex(bytes);
  // All-zero ids are invalid (§3.2.2.3, §3.2.2.4); 2^-64 at worst, but cheap to rule out.
  return /^0+$/.test(hex) ? nonZeroHex(bytes) : hex;
}

export const newTraceId = (): string => nonZeroHex(16);
export const newSpanId = (): string => nonZeroHex(8);

export const formatTraceparent = (context: TraceContext): string =>
  `00-${context.traceId}-${context.spanId}-01`;
