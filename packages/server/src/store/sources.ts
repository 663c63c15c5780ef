import type Database from 'better-sqlite3';

/** Original text of imported contacts (see migration 4). */
export class SourceStore {
  private readonly put;

  constructor(private readonly db: Database.Database) {
    // An upsert, not INSERT OR REPLACE: a replace deletes without firing the usage triggers (migration 6).
    this.put = db.prepare(
      `INSERT INTO contact_sources (contact_id, format, text, version) VALUES (?, ?, ?, ?)
       ON CONFLICT (contact_id) DO UPDATE SET format = excluded.format, text = excluded.text, version = excluded.version`,
    );
  }

  save(contactId: number, format: string, text: string, version: number): void {
    this.put.run(contactId, format, text, version);
  }



  /** contact id → its saved text in `format`, for these contacts (one page of an export). */
  forContacts(format: string, ids: number[]): Map<number, string> {
    const out = new Map<number, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const some = ids.slice(i, i + 500);
      const rows = this.db
        .prepare<unknown[], { contact_id: number; text: string }>(
          `SELECT contact_id, text FROM contact_sources WHERE format = ? AND contact_id IN (${some.map(() => '?').join(',')})`,
        )
        .all(format, ...some);
      for (const row of rows) out.set(row.contact_id, row.text);
    }
    return out;
  }
}
