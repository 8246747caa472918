import type { Database } from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3…: applied in order, each exactly once. */
  readonly version: number;
  /** The SQL that brings the schema from `version - 1` to `version`. */
  readonly up: string;
}

/**
 * Applies the migrations of one namespace that the database has not seen yet, each in its own
 * transaction together with its record, so a crash leaves the schema at a recorded version.
 * Namespaced because several stores (provider, keys, lab recordings…) share one database file.
 * Returns the versions applied.
 */
export function migrate(db: Database, namespace: string, migrations: readonly Migration[]): number[] {
  checkMigrationList(namespace, migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    namespace TEXT NOT NULL,
    version INTEGER NOT NULL,
    applied_at INTEGER NOT NULL,
    PRIMARY KEY (namespace, version)
  )`);

  const recorded = db
    .prepare<[string], { version: number | null }>(
      'SELECT MAX(version) AS version FROM schema_migrations WHERE namespace = ?',
    )
    .get(namespace);
  const current = recorded?.version ?? 0;
  refuseNewer(namespace, current, lastVersion(migrations));

  const isRecorded = db.prepare<[string, number]>(
    'SELECT 1 FROM schema_migrations WHERE namespace = ? AND version = ?',
  );
  const record = db.prepare(
    'INSERT INTO schema_migrations (namespace, version, applied_at) VALUES (?, ?, ?)',
  );
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= current) continue;
    // Checked again under the write lock: another connection may have applied it meanwhile.
    const didApply = db
      .transaction(() => {
        if (isRecorded.get(namespace, migration.version)) return false;
        db.exec(migration.up);
        record.run(namespace, migration.version, Date.now());
        return true;
      })
      .immediate();
    if (didApply) applied.push(migration.version);
  }
  return applied;
}

/**
 * Refuses a database written by a newer version of the program: one whose schema_migrations records,
 * in any namespace, a version beyond the last one `known` lists (a namespace it does not list at all
 * is a newer version's). It only reads, so a caller can check before writing anything.
 */
export function refuseNewerSchemas(db: Database, known: ReadonlyMap<string, readonly Migration[]>): void {
  const hasTable = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (!hasTable) return;
  const recorded = db
    .prepare<[], { namespace: string; version: number }>(
      'SELECT namespace, MAX(version) AS version FROM schema_migrations GROUP BY namespace',
    )
    .all();
  for (const { namespace, version } of recorded) {
    refuseNewer(namespace, version, lastVersion(known.get(namespace) ?? []));
  }
}

const lastVersion = (migrations: readonly Migration[]): number =>
  migrations.reduce((max, m) => Math.max(max, m.version), 0);

function refuseNewer(namespace: string, current: number, known: number): void {
  // A database written by a newer version of the lab: running older code on it could corrupt it.
  if (current > known) {
    throw new Error(
      `the database schema "${namespace}" is at version ${current}, newer than this program knows (${known}); use a newer TRusTY Lab or another data directory`,
    );
  }
}

function checkMigrationList(namespace: string, migrations: readonly Migration[]): void {
  const seen = new Set<number>();
  for (const { version } of migrations) {
    if (!Number.isInteger(version) || version < 1 || seen.has(version)) {
      throw new Error(`invalid migration version ${version} in namespace "${namespace}"`);
    }
    seen.add(version);
  }
}
