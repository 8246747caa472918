import { AsyncLocalStorage, executionAsyncId } from 'node:async_hooks';
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

const observers = new AsyncLocalStorage<CheckObserver>();

/**
 * The observer of the execution context last asked about, by its async id. A token request reports
 * some forty checks, mostly in one synchronous stretch, and each `getStore()` looks the current async
 * resource up again. A resource's store is set when it is created and changes only inside `run`,
 * which `withCheckObserver` alone calls and which forgets this on entry and exit; async ids are never
 * reused. So the same id means the same observer.
 */
let rememberedId = -1;
let remembered: CheckObserver | undefined;

function currentObserver(): CheckObserver | undefined {
  const id = executionAsyncId();
  // 0 is "no context known" (Node's callbacks from outside any resource): not one context, asked each time.
  if (id === 0) return observers.getStore();
  if (id !== rememberedId) {
    remembered = observers.getStore();
    rememberedId = id;
  }
  return remembered;
}

/** Runs `fn` with every check it performs reported to `observer` (one context per request). */
export function withCheckObserver<T>(observer: CheckObserver, fn: () => T): T {
  rememberedId = -1;
  try {
    return observers.run(observer, fn);
  } finally {
    rememberedId = -1;
    remembered = undefined;
  }
}

/**
 * Reports that `jws` (given as received, or as its three parts) verifies with the key `keyName()`
 * names: the server has just verified its signature, or made it. Costs nothing when nobody watches.
 */
export function witnessSignature(
  jws: string | { readonly parts: readonly string[] },
  keyName: () => string,
): void {
  const signed = currentObserver()?.signed;
  if (signed) signed(typeof jws === 'string' ? jws : jws.parts.join('.'), keyName());
}

function report(result: CheckResult): void {
  currentObserver()?.record(result);
}

/**
 * A pass says nothing but its spec, so one result object per spec serves every request (a token
 * request reports some forty passes): frozen, as it is shared. Nothing is made when nobody observes.
 */
const passes = new WeakMap<CheckSpec, CheckResult>();

function passed(spec: CheckSpec): void {
  const observer = currentObserver();
  if (!observer) return;
  let result = passes.get(spec);
  if (result === undefined) {
    result = Object.freeze({ id: spec.id, description: spec.description, ref: spec.ref, outcome: 'passed' });
    passes.set(spec, result);
  }
  observer.record(result);
}

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

/**
 * Skips, like passes, are shared: a check is skipped for one of a few fixed reasons (no nbf claim,
 * no nonce required), five times in a token request. Up to this many reasons per spec are kept as
 * frozen results; a reason past them (one that names a value) gets a result of its own.
 */
const SHARED_SKIP_REASONS = 8;
const skips = new WeakMap<CheckSpec, Map<string, CheckResult>>();

/** Records that a check did not apply to this request, and why (e.g. no DPoP nonce was issued). */
export function skipCheck(spec: CheckSpec, reason: string): void {
  const observer = currentObserver();
  if (!observer) return;
  let byReason = skips.get(spec);
  if (byReason === undefined) {
    byReason = new Map();
    skips.set(spec, byReason);
  }
  let result = byReason.get(reason);
  if (result === undefined) {
    result = {
      id: spec.id,
      description: spec.description,
      ref: spec.ref,
      outcome: 'skipped',
      detail: reason,
    };
    if (byReason.size < SHARED_SKIP_REASONS) byReason.set(reason, Object.freeze(result));
  }
  observer.record(result);
}
