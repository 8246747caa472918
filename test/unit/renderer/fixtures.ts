import type { CheckResultEvent, ClockEvent, Exchange, NoteEvent } from '../../../src/common/lab-events';

let counter = 0;

export function trace(n: number): string {
  return n.toString(16).padStart(32, '0');
}
export function span(n: number): string {
  return n.toString(16).padStart(16, '0');
}

export function exchange(overrides: Partial<Exchange> = {}): Exchange {
  counter++;
  return {
    type: 'exchange',
    id: `ex-${counter}`,
    traceId: trace(1),
    spanId: span(counter),
    observer: 'server',
    from: 'client',
    to: 'authorization_server',
    label: 'token',
    method: 'POST',
    url: 'http://127.0.0.1:4000/token',
    requestHeaders: { 'content-type': 'application/x-www-form-urlencoded' },
    requestBody: 'grant_type=authorization_code&code=abc',
    status: 200,
    responseHeaders: { 'content-type': 'application/json' },
    responseBody: '{"access_token":"at","token_type":"DPoP"}',
    startedAt: 1_700_000_000_000 + counter,
    durationMs: 3,
    jwts: [],
    checks: [],
    ...overrides,
  };
}

export function check(
  outcome: CheckResultEvent['outcome'],
  id = 'dpop.htm',
  ref = 'RFC 9449 §4.3 (8)',
): CheckResultEvent {
  return { id, description: `checks ${id}`, ref, outcome };
}

export function clock(offsetMs: number): ClockEvent {
  counter++;
  return { type: 'clock', id: `clk-${counter}`, at: 1_700_000_000_000, offsetMs, reason: 'advanced' };
}

export function note(text: string): NoteEvent {
  counter++;
  return { type: 'note', id: `note-${counter}`, at: 1_700_000_000_000, text };
}
