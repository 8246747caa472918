import type { Migration } from '../infrastructure/sqlite/migrate';

/**
 * The lab's tables (namespace `lab`). Events are kept as their JSON, plus the few columns the
 * exporters filter or draw on, so that a diagram of 10,000 exchanges never parses 10,000 bodies.
 */
export const labMigrations: readonly Migration[] = [
  {
    version: 1,
    up: `
      CREATE TABLE lab_recordings (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE lab_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        recording_id TEXT NOT NULL REFERENCES lab_recordings(id) ON DELETE CASCADE,
        event_id TEXT NOT NULL,
        type TEXT NOT NULL,
        observer TEXT,
        trace_id TEXT,
        span_id TEXT,
        from_actor TEXT,
        to_actor TEXT,
        label TEXT,
        status INTEGER,
        json TEXT NOT NULL
      );
      CREATE INDEX lab_events_by_recording ON lab_events (recording_id, seq);
      CREATE INDEX lab_events_by_span ON lab_events (recording_id, trace_id, span_id, observer);
    `,
  },
  {
    // Each distinct check (id, description, clause) once; stored exchanges refer to it by number.
    version: 2,
    up: `
      CREATE TABLE lab_check_specs (
        number INTEGER PRIMARY KEY,
        check_id TEXT NOT NULL,
        description TEXT NOT NULL,
        ref TEXT NOT NULL
      );
    `,
  },
  {
    // The demo client's view of a request the server also saw is flagged when it is written, instead
    // of being looked up through an index on (trace, span): that index took a random page per insert,
    // a third of the cost of recording an exchange.
    version: 3,
    up: `
      ALTER TABLE lab_events ADD COLUMN merged_into_server INTEGER NOT NULL DEFAULT 0;
      UPDATE lab_events SET merged_into_server = 1 WHERE observer = 'client' AND EXISTS (
        SELECT 1 FROM lab_events s WHERE s.recording_id = lab_events.recording_id
        AND s.trace_id = lab_events.trace_id AND s.span_id = lab_events.span_id AND s.observer = 'server');
      DROP INDEX lab_events_by_span;
    `,
  },
  {
    // An event's stored text may be kept in the event log beside the database (event-log.ts): then
    // its json is '' and these name where the text is, in bytes.
    version: 4,
    up: `
      ALTER TABLE lab_events ADD COLUMN log_offset INTEGER;
      ALTER TABLE lab_events ADD COLUMN log_length INTEGER;
    `,
  },
  {
    // A recording being imported is written a slice at a time, each slice a transaction of its own,
    // so that the lab answers other requests in between: hidden until its last slice is in, and
    // removed at the next start if the process ended before that (RecordingStore.beginImport).
    version: 5,
    up: 'ALTER TABLE lab_recordings ADD COLUMN importing INTEGER NOT NULL DEFAULT 0;',
  },
];
