/**
 * How long a scenario waits for one answer. The library also runs against providers it does not know
 * (`--issuer`): one that accepts a connection and never answers must fail the scenario, not hold the
 * run forever.
 */
const SCENARIO_REQUEST_TIMEOUT_MS = 20_000;

/** fetch, given up after `timeoutMs` (unless the caller passes a signal of its own). */
export function timedFetch(timeoutMs: number = SCENARIO_REQUEST_TIMEOUT_MS): typeof fetch {
  return (input, init) =>
    globalThis.fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
}
