import type { Database } from 'better-sqlite3';
import type { ConsentRepository } from '../../application/ports';

/** The scope values each user consented to per client; one row per scope value. */
export class SqliteConsentRepository implements ConsentRepository {
  private readonly select;
  private readonly insert;
  private readonly remove;
  private readonly grantAll;

  constructor(db: Database) {
    this.select = db.prepare<[string, string], { scope: string }>(
      'SELECT scope FROM consents WHERE sub = ? AND client_id = ? ORDER BY scope',
    );
    // A consent given again keeps its first date.
    this.insert = db.prepare(
      'INSERT OR IGNORE INTO consents (sub, client_id, scope, granted_at) VALUES (?, ?, ?, ?)',
    );
    this.remove = db.prepare('DELETE FROM consents WHERE sub = ? AND client_id = ?');
    this.grantAll = db.transaction((sub: string, clientId: string, scopes: readonly string[], at: number) => {
      for (const scope of scopes) this.insert.run(sub, clientId, scope, at);
    });
  }

  find(sub: string, clientId: string): readonly string[] {
    return this.select.all(sub, clientId).map((row) => row.scope);
  }

  /** Adds to what was consented before (consent is cumulative until revoked). */
  grant(sub: string, clientId: string, scopes: readonly string[], at: number): void {
    this.grantAll(sub, clientId, scopes, at);
  }

  revoke(sub: string, clientId: string): void {
    this.remove.run(sub, clientId);
  }
}
