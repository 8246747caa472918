import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { migrate } from '../infrastructure/sqlite/migrate';
import {
  LAB_EVENT_SCHEMA_VERSION,
  type Actor,
  type Exchange,
  type LabEvent,
  type Recording,
  type RecordingSummary,
} from '../../common/lab-events';
import { createCheckCatalogue } from './check-catalogue';
import { openEventLog, type EventLog } from './event-log';
import {
  isLoggedServerExchange,
  loggedServerExchangeRows,
  type LoggedServerExchangeRows,
} from './logged-server-exchange-rows';
import { labMigrations } from './recording-migrations';
import { fromStoredText, timeOfStoredText, toStoredText } from './stored-event-text';

export interface RecordingMeta {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
}

/** One arrow or note of the sequence diagram, read without parsing the event's JSON. */
export interface DiagramRow {
  readonly type: LabEvent['type'];
  readonly from: Actor | null;
  readonly to: Actor | null;
  readonly label: string;
  readonly status: number | null;
}

export interface EventQuery {
  /**
   * Leave out the demo client's view of a request the server also saw (same traceId + spanId): the
   * two views are one arrow, and the server's is the one with the checks.
   */
  readonly mergeViews?: boolean;
  readonly exchangesOnly?: boolean;
  readonly pageSize?: number;
}

export interface RecordingStore {
  create(name: string, createdAt: number): RecordingSummary;
  list(): RecordingSummary[];
  find(id: string): RecordingMeta | undefined;
  summary(id: string): RecordingSummary | undefined;
  rename(id: string, name: string): RecordingSummary | undefined;
  delete(id: string): boolean;
  /** Appends events, each to its recording, in one transaction; returns the seq of each, in order. */
  append(batch: readonly (AppendItem | PreparedEvent)[]): number[];
  /**
   * What `append` will store of `event`, under `recordingId`, taken now; throws for an event that
   * cannot be stored (a check whose spec is not written).
   */
  prepare(recordingId: string, event: LabEvent): PreparedEvent;
  /**
   * The events stored under `seqs` (as `append` returned them, oldest first), in that order; when
   * their stored text passes `maxChars`, the newest that fit (at least one). Events deleted since
   * (their recording was) are left out.
   */
  eventsAt(seqs: readonly number[], maxChars: number): LabEvent[];
  /** The id of the event stored under `seq`; undefined when there is none (its recording was deleted). */
  eventIdAt(seq: number): string | undefined;
  /**
   * The events of a recording in order, read page by page (keyset pagination), so a long recording
   * is never held in memory whole and the connection stays free between pages for the recorder.
   */
  events(id: string, query?: EventQuery): Generator<LabEvent>;
  diagram(id: string, query?: EventQuery): Generator<DiagramRow>;
  /**
   * Whether texts go to an event log (a database in a file): then a PreparedEvent's text is best
   * given encoded; otherwise as the string it is, which its row keeps.
   */
  readonly logsTexts: boolean;
  /**
   * Starts storing a recording under a new id (an import never overwrites), hidden from every reader
   * until `finish`: its events are appended a slice at a time, each slice a transaction of its own,
   * so that the lab can answer other requests between two. A recording whose import was neither
   * finished nor abandoned (the process ended) is removed the next time the store is opened.
   */
  beginImport(recording: Omit<Recording, 'events'>): RecordingImport;
  /**
   * An event as the store keeps it (stored-event-text.ts: JSON but for an exchange's headers and
   * bodies, checks by catalogue number): the text of a PreparedEvent.
   */
  serialize(event: LabEvent): string;
  /** The event back from `serialize`'s text, its checks in full. */
  parse(json: string): LabEvent;
}

/** A recording to import: its events are read once, each as it is written (and may be checked then). */
export type ImportedRecording = Omit<Recording, 'events'> & { readonly events: Iterable<LabEvent> };

/** An import under way (RecordingStore.beginImport). */
export interface RecordingImport {
  /** Writes these events, in one transaction, after those appended before. */
  append(events: readonly LabEvent[]): void;
  /** Shows the recording to readers, with every event appended. */
  finish(): RecordingSummary;
  /**
   * Removes the recording and what was written of it. Never throws: should the database be gone
   * already (the lab closing), the next start removes it.
   */
  abandon(): void;
}

/**
 * Events an import writes at a time (importRecording, imported-recording.ts). Each slice's texts are
 * serialized, encoded, written and let go of before the next is made: appended at once, every text
 * waited for the write, as a Buffer, beside the parsed events (an import of 195 MB of 3.1 million
 * notes peaked at 1,855 MB of RSS, 1,008 MB in slices; one of 197 MB of 34,000 exchanges at 801, 740).
 */
export const IMPORT_SLICE = 1000;

/** `events` in slices of `size`, each made as it is reached. */
export function* importSlices(events: Iterable<LabEvent>, size = IMPORT_SLICE): Generator<LabEvent[]> {
  let slice: LabEvent[] = [];
  for (const event of events) {
    slice.push(event);
    if (slice.length === size) {
      yield slice;
      slice = [];
    }
  }
  if (slice.length > 0) yield slice;
}

/** An event to file under a recording. */
export interface AppendItem {
  readonly recordingId: string;
  readonly event: LabEvent;
}

/**
 * An event as `append` stores it, taken when the event is made: its row's columns and its stored text
 * (`serialize`), which the recorder keeps encoded in UTF-8 until it is written to the event log
 * (`logsTexts`). What waits in the recorder's queue is then small, and its text outside V8's heap:
 * the queue's events and texts were alive at the collections the batch's writing set off, and V8
 * promoted them to its old generation (under discovery load the old space grew to 55 MB between full
 * collections, against 16 MB since).
 */
export interface PreparedEvent {
  readonly eventId: string;
  readonly columns: EventColumns;
  /** The stored text, or the same in UTF-8. */
  readonly stored: string | Buffer;
  /** An exchange whose other view (client, server) may come: its side and its request's key. */
  readonly view?: { readonly side: 'server' | 'client'; readonly key: string };
}

interface EventRow {
  seq: number;
  json: string;
  /** Where the text is in the event log, when it is there (json is then ''). */
  log_offset?: number | null;
  log_length?: number | null;
}

interface ReplayRow extends EventRow {
  recording_id: string;
}

interface DiagramSqlRow {
  seq: number;
  type: LabEvent['type'];
  from_actor: Actor | null;
  to_actor: Actor | null;
  label: string | null;
  status: number | null;
}

/** The client's view of a request the server also saw (same trace and span): one arrow, the server's. */
const MERGED = 'AND e.merged_into_server = 0';
/** The same, for a database written before the flag existed (opened read-only, not migrated). */
const MERGED_BY_LOOKUP = `AND NOT (e.observer = 'client' AND EXISTS (
  SELECT 1 FROM lab_events s WHERE s.recording_id = e.recording_id AND s.trace_id = e.trace_id
  AND s.span_id = e.span_id AND s.observer = 'server'))`;

/** Views remembered to flag the other view of the same request when it comes (FIFO, bounded). */
const RECENT_VIEWS = 20_000;

/** The key of a request's views: its recording, trace and span. */
const viewKey = (recordingId: string, exchange: Exchange): string =>
  `${recordingId} ${exchange.traceId} ${exchange.spanId}`;

function boundedMap<V>(capacity: number) {
  const map = new Map<string, V>();
  return {
    get: (key: string) => map.get(key),
    set(key: string, value: V) {
      map.delete(key);
      map.set(key, value);
      if (map.size > capacity) map.delete(map.keys().next().value as string);
    },
    delete: (key: string) => map.delete(key),
  };
}

export function createRecordingStore(db: Database, { migrateSchema = true } = {}): RecordingStore {
  if (migrateSchema) migrate(db, 'lab', labMigrations);
  const catalogue = createCheckCatalogue(db);
  const serialize = (event: LabEvent): string => toStoredText(event, catalogue.storedJson);
  const parse = (text: string): LabEvent => catalogue.fromStored(fromStoredText(text) as LabEvent);

  const columnsOf = (table: string) =>
    new Set(
      (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map(
        (column) => column.name,
      ),
    );
  // Recordings being imported are seen by nobody (a database from before imports in slices has none).
  const hasImportingFlag = columnsOf('lab_recordings').has('importing');
  const shown = (alias = '') => (hasImportingFlag ? `${alias}importing = 0` : '1');
  const insertRecording = db.prepare('INSERT INTO lab_recordings (id, name, created_at) VALUES (?, ?, ?)');
  const selectMeta = db.prepare<[string], { id: string; name: string; created_at: number }>(
    `SELECT id, name, created_at FROM lab_recordings WHERE id = ? AND ${shown()}`,
  );
  const selectSummary = db.prepare<[string], { id: string; name: string; created_at: number; n: number }>(
    `SELECT r.id, r.name, r.created_at, (SELECT COUNT(*) FROM lab_events e WHERE e.recording_id = r.id) AS n
     FROM lab_recordings r WHERE r.id = ? AND ${shown('r.')}`,
  );
  const selectSummaries = db.prepare<[], { id: string; name: string; created_at: number; n: number }>(
    `SELECT r.id, r.name, r.created_at, (SELECT COUNT(*) FROM lab_events e WHERE e.recording_id = r.id) AS n
     FROM lab_recordings r WHERE ${shown('r.')} ORDER BY r.created_at DESC, r.rowid DESC`,
  );
  const updateName = db.prepare(`UPDATE lab_recordings SET name = ? WHERE id = ? AND ${shown()}`);
  const deleteRecording = db.prepare(`DELETE FROM lab_recordings WHERE id = ? AND ${shown()}`);
  // Prepared on first use: a store opened read-only on an older database (the recordings command)
  // never writes, and that database may lack the columns these name.
  let writes:
    | {
        insertEvent: Statement<[...EventColumns, string, number, number | null, number | null]>;
        loggedServerExchanges: () => LoggedServerExchangeRows;
        flagMerged: Statement<[number]>;
        insertImporting: Statement<[string, string, number]>;
        showImported: Statement<[string]>;
        deleteShownOrNot: Statement<[string]>;
      }
    | undefined;
  const writeStatements = () =>
    (writes ??= {
      insertEvent: db.prepare(
        `INSERT INTO lab_events (recording_id, event_id, type, observer, trace_id, span_id, from_actor, to_actor, label, status, json, merged_into_server, log_offset, log_length)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      loggedServerExchanges: loggedServerExchangeRows(db),
      flagMerged: db.prepare<[number]>('UPDATE lab_events SET merged_into_server = 1 WHERE seq = ?'),
      insertImporting: db.prepare<[string, string, number]>(
        'INSERT INTO lab_recordings (id, name, created_at, importing) VALUES (?, ?, ?, 1)',
      ),
      showImported: db.prepare<[string]>('UPDATE lab_recordings SET importing = 0 WHERE id = ?'),
      deleteShownOrNot: db.prepare<[string]>('DELETE FROM lab_recordings WHERE id = ?'),
    });
  const columns = columnsOf('lab_events');
  const hasMergedFlag = columns.has('merged_into_server');
  // A database in a file keeps its events' texts in the event log beside it; one in memory, and one
  // written before the log existed (opened read-only, not migrated), in the json column.
  const log: EventLog | undefined =
    columns.has('log_length') && !db.memory ? openEventLog(db.name, { readonly: db.readonly }) : undefined;
  const textColumns = log ? 'e.json, e.log_offset, e.log_length' : 'e.json';
  // Recent views of each side, by recording, trace and span: the server's view usually comes first
  // (the client reports once it has the response), but either order is flagged. A client view whose
  // server view is further back than RECENT_VIEWS stays unflagged: two arrows, nothing lost.
  const serverViews = boundedMap<true>(RECENT_VIEWS);
  const clientViews = boundedMap<number>(RECENT_VIEWS);

  const pageSql = (query: EventQuery, columns: string): string =>
    `SELECT ${columns} FROM lab_events e WHERE e.recording_id = ? AND e.seq > ?
     ${query.exchangesOnly ? `AND e.type = 'exchange'` : ''} ${query.mergeViews ? (hasMergedFlag ? MERGED : MERGED_BY_LOOKUP) : ''}
     ORDER BY e.seq LIMIT ?`;
  const statements = new Map<string, Statement<[string, number, number]>>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare<[string, number, number]>(sql);
      statements.set(sql, statement);
    }
    return statement;
  };

  const recordingExists = db.prepare<[string], 1>('SELECT 1 FROM lab_recordings WHERE id = ?').pluck();
  /** Removes a recording, shown or not, with its events (their foreign key) and its event-log file. */
  function removeWithItsLog(id: string): void {
    writeStatements().deleteShownOrNot.run(id);
    log?.remove(id);
  }
  // Imports the process did not see to the end (their recordings and files), then files left by a
  // crash between a recording's deletion and its file's.
  if (!db.readonly && migrateSchema) {
    const unfinished = db
      .prepare('SELECT id FROM lab_recordings WHERE importing = 1')
      .pluck()
      .all() as string[];
    for (const id of unfinished) removeWithItsLog(id);
    log?.prune((id) => recordingExists.get(id) !== undefined);
  }

  /**
   * A name as SQLite keeps it, UTF-8: a lone surrogate ("\ud800", which JSON can carry) has no form
   * there and read back as three U+FFFD, past the length the name was checked for. One U+FFFD
   * instead, as stored bodies do (stored-event-text.ts).
   */
  const storableName = (name: string): string => name.toWellFormed();

  function* paged<T extends { seq: number }>(id: string, query: EventQuery, columns: string): Generator<T> {
    const statement = prepared(pageSql(query, columns));
    const pageSize = query.pageSize ?? 500;
    let after = 0;
    for (;;) {
      const rows = statement.all(id, after, pageSize) as T[];
      for (const row of rows) yield row;
      const last = rows.at(-1);
      if (!last || rows.length < pageSize) {
        // A recording deleted between two pages has lost its rows: where they end is then not where
        // the recording ends, and a reader (an export) must not pass for complete.
        if (after > 0 && recordingExists.get(id) === undefined) {
          throw new Error('the recording was deleted while it was being read');
        }
        return;
      }
      after = last.seq;
    }
  }

  /**
   * A stored event, read back. One that cannot be (damaged, or written by an earlier version with a
   * flaw: bodies holding a lone surrogate no longer had the lengths their event named) becomes a note
   * that says so, at its place and time: the rest of its recording still opens and exports.
   */
  const readBack = (recordingId: string, row: EventRow): LabEvent => {
    // The text as far as it could be read ('' when its event log could not give it): its time, if it
    // still says one, dates the note.
    let text = row.json;
    try {
      text = storedText(recordingId, row);
      return parse(text);
    } catch (e) {
      return {
        type: 'note',
        id: `unreadable-${row.seq}`,
        recordingId,
        at: timeOfStoredText(text),
        text: `An event of this recording could not be read back (${(e as Error).message}).`,
      };
    }
  };

  const storedText = (recordingId: string, row: EventRow): string => {
    if (row.log_length === null || row.log_length === undefined) return row.json;
    if (!log) throw new Error('its text is in an event log this store cannot read');
    return log.read(recordingId, row.log_offset ?? 0, row.log_length);
  };

  const toSummary = (row: { id: string; name: string; created_at: number; n: number }): RecordingSummary => ({
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    eventCount: row.n,
  });

  /** Inserts an event's row, its text `json` or `length` bytes at `offset` in the event log; its seq. */
  const insertRow = (
    columns: EventColumns,
    json: string,
    merged: 0 | 1,
    offset: number | null,
    length: number | null,
  ): number =>
    Number(writeStatements().insertEvent.run(...columns, json, merged, offset, length).lastInsertRowid);

  const append = db.transaction((batch: readonly (AppendItem | PreparedEvent)[]): number[] => {
    const { flagMerged, loggedServerExchanges } = writeStatements();
    const serverExchanges = loggedServerExchanges();
    const seqs: number[] = [];
    // The texts to append to each recording's log file, and where the first one goes.
    const logged = new Map<string, { at: number; end: number; texts: Buffer[] }>();
    for (const item of batch) {
      const { columns, stored, view } = 'event' in item ? prepare(item.recordingId, item.event) : item;
      const recordingId = columns[0];
      let offset: number | null = null;
      let length: number | null = null;
      // A recording already in `logged` was accepted: its id is tested once a batch, not once an event.
      if (log && (logged.has(recordingId) || log.accepts(recordingId))) {
        const text = typeof stored === 'string' ? Buffer.from(stored, 'utf8') : stored;
        let file = logged.get(recordingId);
        if (!file) {
          const at = log.end(recordingId);
          file = { at, end: at, texts: [] };
          logged.set(recordingId, file);
        }
        offset = file.end;
        length = text.length;
        file.end += length;
        file.texts.push(text);
      }
      const json = offset !== null ? '' : typeof stored === 'string' ? stored : stored.toString('utf8');
      // Inserts the event's row (merged: its other view came first), or queues it with the capture's
      // rows; returns its seq.
      const insert = (merged: 0 | 1): number => {
        if (offset !== null && length !== null && isLoggedServerExchange(columns, merged)) {
          return serverExchanges.queue(columns, offset, length);
        }
        // Rows keep the batch's order: those queued before this one go first.
        serverExchanges.insertQueued();
        return insertRow(columns, json, merged, offset, length);
      };
      if (!view) {
        seqs.push(insert(0));
        continue;
      }
      const { key } = view;
      if (view.side === 'server') {
        seqs.push(insert(0));
        serverViews.set(key, true);
        const clientSeq = clientViews.get(key);
        if (clientSeq !== undefined) {
          flagMerged.run(clientSeq);
          clientViews.delete(key);
        }
      } else {
        const merged = serverViews.get(key) === true;
        const seq = insert(merged ? 1 : 0);
        seqs.push(seq);
        if (!merged) clientViews.set(key, seq);
      }
    }
    serverExchanges.insertQueued();
    // After the inserts, within their transaction: rows refused write nothing, and a failed write
    // takes the rows back (event-log.ts).
    for (const [recordingId, { at, texts }] of logged) log?.append(recordingId, texts, at);
    return seqs;
  });

  function prepare(recordingId: string, event: LabEvent): PreparedEvent {
    const stored = serialize(event);
    const columns = eventColumns(recordingId, event);
    if (event.type !== 'exchange') return { eventId: event.id, columns, stored };
    // Only a request that named its span (W3C Trace Context traceparent) can have a client view: the
    // demo client sends one with every request and reports its view under that span. Spans the
    // server minted (browsers, other clients, the benchmark) are not remembered.
    if (event.observer === 'server' && event.requestHeaders.traceparent === undefined) {
      return { eventId: event.id, columns, stored };
    }
    const side = event.observer === 'server' ? 'server' : 'client';
    return { eventId: event.id, columns, stored, view: { side, key: viewKey(recordingId, event) } };
  }

  const selectAtSeq = db.prepare<[number], ReplayRow>(
    `SELECT e.seq, e.recording_id, ${textColumns} FROM lab_events e WHERE e.seq = ?`,
  );
  const selectIdAtSeq = db.prepare<[number], string>('SELECT event_id FROM lab_events WHERE seq = ?').pluck();

  const store: RecordingStore = {
    create(givenName, createdAt) {
      const id = randomUUID();
      const name = storableName(givenName);
      insertRecording.run(id, name, createdAt);
      return { id, name, createdAt, eventCount: 0 };
    },
    list: () => selectSummaries.all().map(toSummary),
    find(id) {
      const row = selectMeta.get(id);
      return row && { id: row.id, name: row.name, createdAt: row.created_at };
    },
    summary(id) {
      const row = selectSummary.get(id);
      return row && toSummary(row);
    },
    rename(id, name) {
      return updateName.run(storableName(name), id).changes === 0 ? undefined : store.summary(id);
    },
    delete(id) {
      if (deleteRecording.run(id).changes === 0) return false;
      log?.remove(id);
      return true;
    },
    append(batch) {
      if (batch.length === 0) return [];
      try {
        // BEGIN IMMEDIATE: the capture's rows are given their seqs, read from the table, and no other
        // connection may write between that read and the inserts (logged-server-exchange-rows.ts).
        return append.immediate(batch);
      } catch (e) {
        // Specs registered within the transaction (events prepared there) were rolled back with it.
        catalogue.reload();
        throw e;
      }
    },
    prepare,
    logsTexts: log !== undefined,
    eventsAt(seqs, maxChars) {
      // Row by row (by rowid), newest first, so that the bound keeps the newest.
      const rows: ReplayRow[] = [];
      let chars = 0;
      for (let i = seqs.length - 1; i >= 0; i--) {
        const row = selectAtSeq.get(seqs[i] as number);
        if (!row) continue;
        chars += row.log_length ?? row.json.length;
        if (rows.length > 0 && chars > maxChars) break;
        rows.push(row);
      }
      return rows.reverse().map((row) => readBack(row.recording_id, row));
    },
    eventIdAt: (seq) => selectIdAtSeq.get(seq),
    *events(id, query = {}) {
      for (const row of paged<EventRow>(id, query, `e.seq, ${textColumns}`)) yield readBack(id, row);
    },
    *diagram(id, query = {}) {
      for (const row of paged<DiagramSqlRow>(
        id,
        query,
        'e.seq, e.type, e.from_actor, e.to_actor, e.label, e.status',
      )) {
        yield {
          type: row.type,
          from: row.from_actor,
          to: row.to_actor,
          label: row.label ?? '',
          status: row.status,
        };
      }
    },
    beginImport(recording) {
      if (recording.schemaVersion !== LAB_EVENT_SCHEMA_VERSION)
        throw new Error('unknown recording schema version');
      const id = randomUUID();
      const name = storableName(recording.name);
      writeStatements().insertImporting.run(id, name, recording.createdAt);
      let eventCount = 0;
      return {
        append(events) {
          store.append(events.map((event) => ({ recordingId: id, event })));
          eventCount += events.length;
        },
        finish() {
          writeStatements().showImported.run(id);
          return { id, name, createdAt: recording.createdAt, eventCount };
        },
        abandon() {
          try {
            removeWithItsLog(id);
          } catch {
            // The database closed under the import: the next start removes what it left.
          }
        },
      };
    },
    serialize,
    parse,
  };
  return store;
}

/**
 * The lab_events columns of an event before its text, in the order insertEvent names them
 * (positional parameters: better-sqlite3 binds them without looking names up in an object).
 */
export type EventColumns = [...EventOf, type: LabEvent['type'], observer: string | null, ...EventArrow];
type EventOf = [recordingId: string, eventId: string];
type EventArrow = [
  traceId: string | null,
  spanId: string | null,
  from: string | null,
  to: string | null,
  label: string | null,
  status: number | null,
];

function eventColumns(recordingId: string, event: LabEvent): EventColumns {
  switch (event.type) {
    case 'exchange':
      return [
        recordingId,
        event.id,
        event.type,
        event.observer,
        event.traceId,
        event.spanId,
        event.from,
        event.to,
        event.label,
        event.status,
      ];
    case 'note':
      return [
        recordingId,
        event.id,
        event.type,
        null,
        event.traceId ?? null,
        null,
        null,
        null,
        event.text,
        null,
      ];
    case 'clock':
      return [recordingId, event.id, event.type, null, null, null, null, null, event.reason, null];
  }
}
