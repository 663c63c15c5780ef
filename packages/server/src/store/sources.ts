import type Database from 'better-sqlite3';

/** Original text of imported contacts (see migration 4). */
export class SourceStore {
  private readonly put;
  private readonly forAnnuaire;

  constructor(db: Database.Database) {
    // An upsert, not INSERT OR REPLACE: a replace deletes without firing the usage triggers (migration 6).
    this.put = db.prepare(
      `INSERT INTO contact_sources (contact_id, format, text, version) VALUES (?, ?, ?, ?)
       ON CONFLICT (contact_id) DO UPDATE SET format = excluded.format, text = excluded.text, version = excluded.version`,
    );
    this.forAnnuaire = db.prepare<[string, number], { contact_id: number; text: string; version: number }>(
      `SELECT s.contact_id, s.text, s.version FROM contact_sources s JOIN contacts c ON c.id = s.contact_id
       WHERE s.format = ? AND c.annuaire_id = ?`,
    );
  }

  save(contactId: number, format: string, text: string, version: number): void {
    this.put.run(contactId, format, text, version);
  }

  /** contact id → its original text, for the contacts still at the version they were imported at. */
  /** contact id → its saved text, whatever the contact's version since. */
  all(format: string, annuaireId: number): Map<number, string> {
    return new Map(this.forAnnuaire.all(format, annuaireId).map((row) => [row.contact_id, row.text]));
  }

  unchanged(format: string, annuaireId: number, versions: Map<number, number>): Map<number, string> {
    const out = new Map<number, string>();
    for (const row of this.forAnnuaire.all(format, annuaireId)) {
      if (versions.get(row.contact_id) === row.version) out.set(row.contact_id, row.text);
    }
    return out;
  }
}
