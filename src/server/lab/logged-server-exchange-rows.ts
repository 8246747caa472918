import type { Database, Statement } from 'better-sqlite3';
import type { EventColumns } from './recording-store';

/**
 * The rows nearly all a busy lab writes: the server's view of an exchange (the capture's), its text in
 * the event log, no other view of it to flag. What is the same in each is written in the statement
 * (four values fewer bound: 0.4 of 3.8 µs a row, a micro-benchmark), and up to ROWS_PER_INSERT go in
 * one statement, so that SQLite starts and ends a statement, and reads and writes back the table's
 * AUTOINCREMENT counter, once for them all: batches of 128 such rows, in the lab's schema, took 2.6 µs
 * a row with a statement each and 1.8 with one for sixteen (a micro-benchmark).
 */
export const ROWS_PER_INSERT = 16;

type Value = string | number | null;

const COLUMNS =
  'seq, recording_id, event_id, type, observer, trace_id, span_id, from_actor, to_actor, label, status, json, merged_into_server, log_offset, log_length';
const ROW = `(?, ?, ?, 'exchange', 'server', ?, ?, ?, ?, ?, ?, '', 0, ?, ?)`;

/**
 * Whether the row of an event whose text is in the event log is such a row: the values ROW writes in
 * the statement (an exchange, the server's view, not merged into another view) are its own.
 */
export function isLoggedServerExchange(columns: EventColumns, merged: 0 | 1): boolean {
  const [, , type, observer] = columns;
  return type === 'exchange' && observer === 'server' && merged === 0;
}

export interface LoggedServerExchangeRows {
  /**
   * Queues the row of an event whose text is `logLength` bytes at `logOffset` in the event log, and
   * returns its seq. Its rows are inserted ROWS_PER_INSERT at a time, the rest by `insertQueued`.
   */
  queue(columns: EventColumns, logOffset: number, logLength: number): number;
  /**
   * Inserts the rows queued. Called before any other row is inserted, which may take the next seq:
   * the one after it is then asked of the table again.
   */
  insertQueued(): void;
}

/**
 * Such rows for one transaction, which must hold the database's write lock from its start (BEGIN
 * IMMEDIATE): each row's seq is given, one more than the largest the table ever held (its
 * sqlite_sequence row, as AUTOINCREMENT would give it) or holds, read when the first is queued.
 * Given, and not left to SQLite, because SQLite promises an AUTOINCREMENT rowid "at least one larger"
 * than any before (sqlite.org/autoinc.html), not the next one: the seqs of one statement's rows could
 * not be told from the last one's.
 */
export function loggedServerExchangeRows(db: Database): () => LoggedServerExchangeRows {
  const statements: Statement<[Value[]]>[] = [];
  const insert = (rows: number) =>
    (statements[rows] ??= db.prepare<[Value[]]>(
      `INSERT INTO lab_events (${COLUMNS}) VALUES ${Array.from({ length: rows }, () => ROW).join(', ')}`,
    ));
  const selectNextSeq = db
    .prepare<[], number>(
      `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'lab_events'), 0),
                  coalesce((SELECT max(seq) FROM lab_events), 0)) + 1`,
    )
    .pluck();

  return () => {
    let values: Value[] = [];
    let rows = 0;
    let nextSeq: number | undefined;
    const insertRows = (): void => {
      if (rows === 0) return;
      insert(rows).run(values);
      values = [];
      rows = 0;
    };
    return {
      queue(columns, logOffset, logLength) {
        const seq = nextSeq ?? (selectNextSeq.get() as number);
        nextSeq = seq + 1;
        const [recordingId, eventId, , , traceId, spanId, from, to, label, status] = columns;
        values.push(
          seq,
          recordingId,
          eventId,
          traceId,
          spanId,
          from,
          to,
          label,
          status,
          logOffset,
          logLength,
        );
        rows += 1;
        if (rows === ROWS_PER_INSERT) insertRows();
        return seq;
      },
      insertQueued() {
        insertRows();
        nextSeq = undefined;
      },
    };
  };
}
