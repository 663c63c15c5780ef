import type Database from 'better-sqlite3';
import { JournalStore } from './journal';
import { SearchIndex } from './search-index';

export type { ContactRow, ContactRecord, AnnuaireUsage, CommittedChange, SortOrder, SortKey } from './rows';
import { SORT_KEYS, type ContactRow, type ContactRecord, type AnnuaireUsage, type CommittedChange, type SortOrder, type SortKey } from './rows';

const COLUMNS = 'c.id, c.nom, c.prenom, c.nom_key, c.prenom_key, c.data, c.version, c.created_at, c.updated_at';

export class ContactStore {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly updateStmt;
  private readonly deleteStmt;
  readonly searchIndex: SearchIndex;
  private readonly byName;
  private readonly byNom;
  private readonly countStmt;
  private readonly listAt = new Map<SortOrder, Database.Statement<[number, number, number], ContactRow>>();
  private readonly listAfter = new Map<SortOrder, Database.Statement<unknown[], ContactRow>>();
  private readonly annuairesStmt;
  private readonly manyStmt;
  private readonly usageStmt;
  readonly journal: JournalStore;
  /** Changes journaled in the open transaction, told to `onCommit` once it commits. */
  private readonly pending: CommittedChange[] = [];
  /** Told of each transaction's changes once committed (the change feed; fan-out stays off the write). */
  onCommit: (changes: CommittedChange[]) => void = () => {};

  /**
   * @param derive the record of a stored row (services/contact-record.ts): the search index
   *   re-derives a contact's words when it moves the contact's key.
   */
  constructor(
    private readonly db: Database.Database,
    derive: (row: ContactRow) => ContactRecord,
  ) {
    this.insertStmt = db.prepare(
      `INSERT INTO contacts (annuaire_id, nom, prenom, nom_key, prenom_key, data, version, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`,
    );
    this.getStmt = db.prepare<[number, number], ContactRow>(
      `SELECT ${COLUMNS} FROM contacts c WHERE c.id = ? AND c.annuaire_id = ?`,
    );
    this.updateStmt = db.prepare(
      `UPDATE contacts SET nom = ?, prenom = ?, nom_key = ?, prenom_key = ?, data = ?,
              version = version + 1, updated_at = ?
       WHERE id = ? AND annuaire_id = ? AND version = ?`,
    );
    this.deleteStmt = db.prepare('DELETE FROM contacts WHERE id = ? AND annuaire_id = ?');
    const rowOf = db.prepare<[number], ContactRow>(`SELECT ${COLUMNS} FROM contacts c WHERE c.id = ?`);
    this.searchIndex = new SearchIndex(db, (id) => searchEntry(derive(rowOf.get(id)!)));
    this.byName = db.prepare<[number, string, string], ContactRow>(
      `SELECT ${COLUMNS} FROM contacts c
       WHERE c.annuaire_id = ? AND c.nom_key = ? AND c.prenom_key = ? ORDER BY c.id`,
    );
    this.byNom = db.prepare<[number, string], ContactRow>(
      `SELECT ${COLUMNS} FROM contacts c
       WHERE c.annuaire_id = ? AND c.nom_key = ? ORDER BY c.prenom_key, c.id`,
    );
    this.countStmt = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM contacts WHERE annuaire_id = ?');
    for (const [order, keys] of Object.entries(SORT_KEYS) as [SortOrder, string[]][]) {
      const orderBy = keys.map((k) => `c.${k}`).join(', ');
      this.listAt.set(
        order,
        db.prepare(`SELECT ${COLUMNS} FROM contacts c WHERE c.annuaire_id = ? ORDER BY ${orderBy} LIMIT ? OFFSET ?`),
      );
      const params = keys.map(() => '?').join(', ');
      this.listAfter.set(
        order,
        db.prepare(
          `SELECT ${COLUMNS} FROM contacts c WHERE c.annuaire_id = ? AND (${orderBy}) > (${params})
           ORDER BY ${orderBy} LIMIT ?`,
        ),
      );
    }
    // CROSS JOIN keeps the ids outside: without statistics (no ANALYZE on a live database) the
    // planner may otherwise walk the whole annuaire by its index and probe the ids (30 ms a page
    // on 10k contacts, profiled).
    this.manyStmt = db.prepare<[string, number], ContactRow>(
      `SELECT ${COLUMNS} FROM json_each(?) j CROSS JOIN contacts c ON c.id = j.value
       WHERE c.annuaire_id = ? ORDER BY j.key`,
    );
    this.usageStmt = db.prepare<[number], AnnuaireUsage>(
      'SELECT contact_count AS contacts, data_bytes AS bytes FROM annuaires WHERE id = ?',
    );
    this.annuairesStmt = db.prepare<[], number>('SELECT id FROM annuaires ORDER BY id').pluck();
    this.journal = new JournalStore(db);
  }

  insert(annuaireId: number, r: ContactRecord, now: string): ContactRow {
    return this.transaction(() => {
      const id = Number(
        this.insertStmt.run(annuaireId, r.nom, r.prenom, r.nomKey, r.prenomKey, r.data, now, now).lastInsertRowid,
      );
      this.index(annuaireId, id, r);
      return this.journaled(annuaireId, id, this.getStmt.get(id, annuaireId)!, now);
    });
  }

  get(annuaireId: number, id: number): ContactRow | undefined {
    return this.getStmt.get(id, annuaireId);
  }

  /** Writes only if the stored version is still `expectedVersion`; returns the new row, or undefined on conflict. */
  update(annuaireId: number, id: number, expectedVersion: number, r: ContactRecord, now: string): ContactRow | undefined {
    return this.transaction(() => {
      const changed = this.updateStmt.run(r.nom, r.prenom, r.nomKey, r.prenomKey, r.data, now, id, annuaireId, expectedVersion);
      if (changed.changes === 0) return undefined;
      this.index(annuaireId, id, r);
      return this.journaled(annuaireId, id, this.getStmt.get(id, annuaireId)!, now);
    });
  }

  delete(annuaireId: number, id: number, now = new Date().toISOString()): boolean {
    return this.transaction(() => {
      if (!this.getStmt.get(id, annuaireId)) return false;
      this.searchIndex.remove(id);
      if (this.deleteStmt.run(id, annuaireId).changes === 0) return false;
      this.journaled(annuaireId, id, null, now);
      return true;
    });
  }

  /** Records the write in the journal, in its transaction, and keeps it for the feed. */
  private journaled<R extends ContactRow | null>(annuaireId: number, contactId: number, row: R, now: string): R {
    const seq = this.journal.record(annuaireId, contactId, row === null, Date.parse(now));
    this.pending.push({ annuaireId, seq, contactId, row });
    return row;
  }

  /** Removes the annuaire's words from the search index; the rows themselves go by cascade. */
  deleteSearchIndexOf(annuaireId: number): void {
    this.searchIndex.removeAnnuaire(annuaireId);
  }

  count(annuaireId: number): number {
    return this.countStmt.get(annuaireId)?.n ?? 0;
  }

  /** The most e-mails and phones any one contact has: the columns a CSV export needs. */
  widestLists(annuaireId: number): { emails: number; phones: number } {
    const row = this.db
      .prepare<[number], { emails: number | null; phones: number | null }>(
        `SELECT max(json_array_length(data, '$.emails')) AS emails, max(json_array_length(data, '$.telephones')) AS phones
         FROM contacts WHERE annuaire_id = ?`,
      )
      .get(annuaireId);
    return { emails: Math.max(1, row?.emails ?? 0), phones: Math.max(1, row?.phones ?? 0) };
  }

  /** Exact nom and prénom keys; with no prénom, every contact of that nom, by prénom. */
  findByName(annuaireId: number, nomKey: string, prenomKey: string): ContactRow[] {
    return prenomKey === '' ? this.byNom.all(annuaireId, nomKey) : this.byName.all(annuaireId, nomKey, prenomKey);
  }

  /** The position of `row` in `order`, from which a cursor resumes. */
  sortKeyOf(row: ContactRow, order: SortOrder): SortKey {
    return SORT_KEYS[order].map((k) => row[k as keyof ContactRow]);
  }

  /** A page by position: for search results with an empty query, and for jumping (End, a scrollbar). */
  listPage(annuaireId: number, limit: number, offset: number, order: SortOrder = 'nom'): ContactRow[] {
    return this.listAt.get(order)!.all(annuaireId, limit, offset);
  }

  list(annuaireId: number, order: SortOrder, limit: number, after?: SortKey): ContactRow[] {
    if (!after) return this.listAt.get(order)!.all(annuaireId, limit, 0);
    return this.listAfter.get(order)!.all(annuaireId, ...after, limit);
  }

  sortKeyLength(order: SortOrder): number {
    return SORT_KEYS[order].length;
  }

  /** Indexes a contact for search (inside the write's transaction). */
  index(annuaireId: number, id: number, r: ContactRecord): void {
    this.searchIndex.put(annuaireId, id, searchEntry(r));
  }

  /** Every annuaire holding contacts (to rebuild the search index). */
  annuaireIds(): number[] {
    return this.annuairesStmt.all();
  }

  /** The rows of `ids`, in that order, that belong to the annuaire. */
  getMany(annuaireId: number, ids: number[]): ContactRow[] {
    if (ids.length === 0) return [];
    // One statement rather than one per row: a page costs a single round through SQLite.
    return this.manyStmt.all(JSON.stringify(ids), annuaireId);
  }

  /** What an annuaire holds, as kept by the usage triggers (migration 6). */
  usage(annuaireId: number): AnnuaireUsage {
    return this.usageStmt.get(annuaireId) ?? { contacts: 0, bytes: 0 };
  }

  /**
   * Runs `fn` in one transaction (nested: a savepoint). Once the outermost one commits, its
   * journaled changes go to `onCommit`; those of a part rolled back never do.
   */
  transaction<T>(fn: () => T): T {
    const mark = this.pending.length;
    const outermost = !this.db.inTransaction;
    let result: T;
    try {
      result = this.db.transaction(fn)();
    } catch (err) {
      this.pending.length = mark;
      throw err;
    }
    if (outermost && this.pending.length > 0) this.onCommit(this.pending.splice(0));
    return result;
  }
}

function searchEntry(r: ContactRecord) {
  return { names: r.searchNames, other: r.searchOther, nomKey: r.nomKey, prenomKey: r.prenomKey, vocabulary: r.vocabulary };
}
