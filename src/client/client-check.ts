import { ClientCheckError } from './errors';

/**
 * The checks the demo client runs on what the provider sends back (ID token, authorization response,
 * discovery). The same shape as the provider's checks (src/server/domain/check.ts) so that the UI can
 * show both, but kept here: that module depends on node:async_hooks and this library runs in browsers.
 * The checks are recorded on an explicit log that each flow step returns.
 */
export interface ClientCheckSpec {
  /** Stable id, dotted by area: `id_token.nonce`, `authorization_response.iss`. */
  readonly id: string;
  readonly description: string;
  /** The clause: `RFC 9207 §2.4`, `OpenID Connect Core §3.1.3.7 (11)`. */
  readonly ref: string;
}

export interface ClientCheckResult {
  readonly id: string;
  readonly description: string;
  readonly ref: string;
  readonly outcome: 'passed' | 'failed' | 'skipped';
  readonly detail?: string;
}

export type ClientCheckLog = ClientCheckResult[];

/**
 * Asserts a rule: records it passed, or records it failed and throws a ClientCheckError carrying the
 * result. `log` may be omitted where nobody listens.
 */
export function ensure(
  log: ClientCheckLog | undefined,
  spec: ClientCheckSpec,
  condition: boolean,
  detail: () => string,
): asserts condition {
  if (condition) {
    log?.push({ ...spec, outcome: 'passed' });
    return;
  }
  const result: ClientCheckResult = { ...spec, outcome: 'failed', detail: detail() };
  log?.push(result);
  throw new ClientCheckError(result);
}

/** Runs a check whose work may throw (a signature verification): any exception is its failure. */
export async function ensureAsync<T>(
  log: ClientCheckLog | undefined,
  spec: ClientCheckSpec,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    const value = await fn();
    log?.push({ ...spec, outcome: 'passed' });
    return value;
  } catch (e) {
    if (e instanceof ClientCheckError) throw e;
    const result: ClientCheckResult = {
      ...spec,
      outcome: 'failed',
      detail: e instanceof Error ? e.message : String(e),
    };
    log?.push(result);
    throw new ClientCheckError(result);
  }
}

export function skip(log: ClientCheckLog | undefined, spec: ClientCheckSpec, reason: string): void {
  log?.push({ ...spec, outcome: 'skipped', detail: reason });
}
