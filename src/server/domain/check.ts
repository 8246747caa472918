import { OAuthError, serverError } from './oauth-error';

/**
 * A named validation the server runs, with the clause of the spec that demands it.
 * Every rule is written as a check so that the lab can show, for each request, what was verified,
 * in which order, and why (DESIGN.md, "The lab event model").
 */
export interface CheckSpec {
  /** Stable id, dotted by area: `pkce.verifier`, `dpop.htu`, `client_assertion.aud`. */
  readonly id: string;
  /** What is checked, in plain words. */
  readonly description: string;
  /** The clause, as a reader would look it up: `RFC 9449 §4.3 (9)`, `FAPI 2.0 SP §5.3.2.1 (8)`. */
  readonly ref: string;
}

export type CheckOutcome = 'passed' | 'failed' | 'skipped';

export interface CheckResult {
  readonly id: string;
  readonly description: string;
  readonly ref: string;
  readonly outcome: CheckOutcome;
  /** Why it failed or was skipped, in plain words. */
  readonly detail?: string;
  /** The OAuth error a failure produced. */
  readonly error?: { error: string; error_description: string; status: number };
}

/** Receives every check outcome of the current request. */
export interface CheckObserver {
  record(result: CheckResult): void;
  /**
   * Told of each JWS whose signature the server verified, or made, while handling the request, and
   * the name of the key (signature-key-names.ts). Present only while someone watches the lab's live
   * events: the inspector then shows these signatures verified without verifying them again.
   */
  readonly signed?: ((jws: string, key: string) => void) | undefined;
}

/**
 * The observer of the request being handled now: set while the request's code runs, synchronously
 * (`withCheckObserver`), and undefined between two callbacks.
 *
 * A per-request context, so that validators report their checks without one being passed to them
 * (DESIGN.md, "The lab event model"), but not an AsyncLocalStorage. On Node 20 an AsyncLocalStorage
 * that has ever run switches on async_hooks for the whole process: every promise, tick, timer and
 * crypto job then calls into JavaScript and carries the store. With it, the capture added 9.2% to the
 * instructions of a client_credentials request; without it, 4.9% (README, "Benchmark").
 *
 * So the provider's checks run synchronously, within the request's callbacks, and the few places
 * where a request waits (its form body arriving, a password hash) take the observer with
 * `currentCheckObserver` before they wait and give it back with `withCheckObserver` after. A check
 * reported after an await with neither is not recorded: it is never recorded on another request, as
 * the observer is reset when each callback returns.
 */
let current: CheckObserver | undefined;

/**
 * Runs `fn` with every check it performs reported to `observer`, until `fn` returns (one context per
 * request; undefined: none). What `fn` leaves to run later (after an await, in a callback) is not
 * covered: it takes the observer with `currentCheckObserver` and runs in it again.
 */
export function withCheckObserver<T>(observer: CheckObserver | undefined, fn: () => T): T {
  const outer = current;
  current = observer;
  try {
    return fn();
  } finally {
    current = outer;
  }
}

/** The observer checks are reported to now, to run code that continues this request later with it. */
export function currentCheckObserver(): CheckObserver | undefined {
  return current;
}

/**
 * Reports that `jws` (given as received, or as its three parts) verifies with the key `keyName()`
 * names: the server has just verified its signature, or made it. Costs nothing when nobody watches.
 */
export function witnessSignature(
  jws: string | { readonly parts: readonly string[] },
  keyName: () => string,
): void {
  const signed = current?.signed;
  if (signed) signed(typeof jws === 'string' ? jws : jws.parts.join('.'), keyName());
}

function report(result: CheckResult): void {
  current?.record(result);
}

const passed = (spec: CheckSpec): void =>
  report({ id: spec.id, description: spec.description, ref: spec.ref, outcome: 'passed' });

function failure(spec: CheckSpec, error: OAuthError, detail?: string): CheckResult {
  return {
    id: spec.id,
    description: spec.description,
    ref: spec.ref,
    outcome: 'failed',
    detail: detail ?? error.error_description,
    error: { error: error.error, error_description: error.error_description, status: error.status },
  };
}

/**
 * Asserts a rule: records it passed when `condition` holds, otherwise records it failed and throws
 * the error `onFailure` builds. The condition is asserted for the type checker, so a checked value
 * can be used narrowed afterwards.
 */
export function verify(spec: CheckSpec, condition: boolean, onFailure: () => OAuthError): asserts condition {
  if (condition) {
    passed(spec);
    return;
  }
  const error = onFailure();
  report(failure(spec, error));
  throw error;
}

/**
 * Records the failure of a check whose work threw `e`: an OAuthError is the failure; any other
 * exception is a fault of the server, recorded and turned into server_error so that it can never pass
 * for a success. Returns the error to throw.
 */
function failedWith(spec: CheckSpec, e: unknown): OAuthError {
  const error = e instanceof OAuthError ? e : serverError(undefined, e);
  report(failure(spec, error, e instanceof OAuthError ? undefined : 'internal error while checking'));
  return error;
}

/** Runs a check whose work may throw (a signature verification, a lookup); see `failedWith`. */
export function verifyWork<T>(spec: CheckSpec, fn: () => T): T {
  let value: T;
  try {
    value = fn();
  } catch (e) {
    throw failedWith(spec, e);
  }
  passed(spec);
  return value;
}

/** Records that a check did not apply to this request, and why (e.g. no DPoP nonce was issued). */
export function skipCheck(spec: CheckSpec, reason: string): void {
  report({ id: spec.id, description: spec.description, ref: spec.ref, outcome: 'skipped', detail: reason });
}
