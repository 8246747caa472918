import type { Database, Statement } from 'better-sqlite3';
import type { CheckResultEvent, LabEvent } from '../../common/lab-events';

/**
 * How the lab stores the checks of an exchange. A token request runs some thirty checks, each with
 * its description and clause: written out in full they were two thirds of a stored exchange, and
 * serializing and writing them most of what the capture cost the token endpoint. A check's
 * description and clause never change for a given check, so each distinct one is stored once, in
 * `lab_check_specs`, and an exchange keeps only a number for it (with the outcome, and the detail
 * and error of a failure). Exports and the lab API always see checks in full.
 *
 * Stored form of one check: its spec number alone when it passed with nothing more to say (most do),
 * otherwise `[spec, outcome]` or `[spec, outcome, detail | null, error?]` — or the full object, as in
 * recordings written before these forms existed. Recordings of an earlier version stored passed
 * checks as `[spec, 'passed']`: still read.
 */
export type StoredCheck =
  | CheckResultEvent
  | number
  | [number, CheckResultEvent['outcome']]
  | [number, CheckResultEvent['outcome'], string | null]
  | [number, CheckResultEvent['outcome'], string | null, NonNullable<CheckResultEvent['error']>];

export interface CheckCatalogue {
  /**
   * The JSON of an exchange's checks as stored (StoredCheck[]: by catalogue number). Registers specs
   * seen for the first time.
   */
  storedJson(checks: readonly CheckResultEvent[]): string;
  /** An event read back from storage (a JSON value), its checks in full. */
  fromStored(stored: LabEvent): LabEvent;
  /**
   * Forgets what it remembers and reads its table again: after a transaction that may have
   * registered specs was rolled back (a batch of events, or a slice of an import, that failed), whose
   * numbers SQLite will give again.
   */
  reload(): void;
}

/** Runs of checks whose stored JSON is kept (storedJson): more than a lab's endpoints. */
const REMEMBERED_RUNS = 32;

interface Spec {
  readonly number: number;
  readonly description: string;
  readonly ref: string;
}

export function createCheckCatalogue(db: Database): CheckCatalogue {
  const byId = new Map<string, Spec[]>();
  const byNumber = new Map<number, { id: string; description: string; ref: string }>();
  // A database of an older version, opened read-only (the recordings command), has no catalogue:
  // its exchanges hold their checks in full.
  const hasTable = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'lab_check_specs'")
    .get();
  const load = () => {
    if (!hasTable) return;
    for (const row of db
      .prepare<[], { number: number; check_id: string; description: string; ref: string }>(
        'SELECT number, check_id, description, ref FROM lab_check_specs',
      )
      .all()) {
      remember(row.number, row.check_id, row.description, row.ref);
    }
  };
  load();
  let insert: Statement<[string, string, string]> | undefined;

  function remember(number: number, id: string, description: string, ref: string): Spec {
    const spec = { number, description, ref };
    byId.set(id, [...(byId.get(id) ?? []), spec]);
    byNumber.set(number, { id, description, ref });
    return spec;
  }

  // The same id with another text (a later version reworded it) is another spec: old recordings
  // keep the words they were recorded with.
  const numberOf = (check: CheckResultEvent): number => {
    const known = byId.get(check.id)?.find((s) => s.description === check.description && s.ref === check.ref);
    if (known) return known.number;
    insert ??= db.prepare('INSERT INTO lab_check_specs (check_id, description, ref) VALUES (?, ?, ?)');
    const number = Number(insert.run(check.id, check.description, check.ref).lastInsertRowid);
    return remember(number, check.id, check.description, check.ref).number;
  };

  // A frozen result cannot change, so its number is remembered by identity: the provider reports each
  // pass as one frozen object per check (domain/check.ts), and finding a spec by id and words took
  // about 8 µs for the forty checks of a token request, under load.
  let frozenPasses = new WeakMap<CheckResultEvent, number>();

  const stored = (check: CheckResultEvent): StoredCheck => {
    const remembered = frozenPasses.get(check);
    if (remembered !== undefined) return remembered;
    const number = numberOf(check);
    if (check.outcome === 'passed' && check.detail === undefined && !check.error) {
      if (Object.isFrozen(check)) frozenPasses.set(check, number);
      return number;
    }
    if (check.error) return [number, check.outcome, check.detail ?? null, check.error];
    if (check.detail !== undefined) return [number, check.outcome, check.detail];
    return [number, check.outcome];
  };

  const full = (check: StoredCheck): CheckResultEvent => {
    if (typeof check === 'object' && !Array.isArray(check)) return check;
    const [number, outcome, detail, error] = typeof check === 'number' ? [check, 'passed' as const] : check;
    const spec = byNumber.get(number);
    const result: CheckResultEvent = {
      id: spec?.id ?? `unknown-check-${number}`,
      description: spec?.description ?? 'a check this lab no longer knows',
      ref: spec?.ref ?? '',
      outcome,
    };
    if (detail !== undefined && detail !== null) result.detail = detail;
    if (error !== undefined) result.error = error;
    return result;
  };

  // Requests to one endpoint mostly report the same checks in the same order, each a frozen result
  // shared by every request (domain/check.ts: passes, and skips for a fixed reason). The JSON of such
  // a run is kept and found again by the identity of its results: a token request's forty checks
  // were about 2 µs of what the capture cost it, mapped and serialized each time. A run holding a
  // result that can change (a failure, with its detail) is serialized each time.
  const runs: { readonly checks: readonly CheckResultEvent[]; readonly json: string }[] = [];
  const sameRun = (a: readonly CheckResultEvent[], b: readonly CheckResultEvent[]): boolean => {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  };

  return {
    storedJson(checks) {
      for (let i = 0; i < runs.length; i++) {
        const run = runs[i] as (typeof runs)[number];
        if (!sameRun(run.checks, checks)) continue;
        if (i > 0) runs.unshift(...runs.splice(i, 1)); // the most recently used first
        return run.json;
      }
      const json = JSON.stringify(checks.map(stored));
      if (checks.every((check) => Object.isFrozen(check))) {
        runs.unshift({ checks: [...checks], json });
        if (runs.length > REMEMBERED_RUNS) runs.pop();
      }
      return json;
    },
    fromStored(event) {
      if (event.type !== 'exchange' || !Array.isArray(event.checks)) return event;
      return { ...event, checks: (event.checks as StoredCheck[]).map(full) };
    },
    reload() {
      byId.clear();
      byNumber.clear();
      frozenPasses = new WeakMap();
      runs.length = 0;
      load();
    },
  };
}
