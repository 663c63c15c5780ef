import type Database from 'better-sqlite3';
import type { JournalEntry, JournalHead, JournalPolicy } from './rows';
export { DEFAULT_JOURNAL, type JournalEntry, type JournalHead, type JournalPolicy } from './rows';

/**
 * The change journal (migration 9): written by ContactStore in each write's own transaction.
 * One row per contact, so reading since a seq gives each contact once, as it is now.
 */
export class JournalStore {
  private readonly nextSeq;
  private readonly put;
  private readonly headStmt;
  private readonly headsStmt;
  private readonly sinceStmt;
  private readonly oldTombstones;
  private readonly overCount;
  private readonly oldestOf;
  private readonly deleteEntry;
  private readonly raiseFloor;

  constructor(private readonly db: Database.Database) {
    this.nextSeq = db.prepare<[number], number>('UPDATE annuaires SET change_seq = change_seq + 1 WHERE id = ? RETURNING change_seq').pluck();
    this.put = db.prepare(
      `INSERT INTO changes (annuaire_id, seq, contact_id, deleted, at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (annuaire_id, contact_id) DO UPDATE SET seq = excluded.seq, deleted = excluded.deleted, at = excluded.at`,
    );
    this.headStmt = db.prepare<[number], JournalHead>('SELECT change_seq AS seq, change_floor AS floor FROM annuaires WHERE id = ?');
    this.headsStmt = db.prepare<[string], { id: number; seq: number }>(
      'SELECT a.id, a.change_seq AS seq FROM json_each(?) j CROSS JOIN annuaires a ON a.id = j.value',
    );
    this.sinceStmt = db.prepare<[number, number, number], { seq: number; contact_id: number; deleted: number }>(
      'SELECT seq, contact_id, deleted FROM changes WHERE annuaire_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
    this.oldTombstones = db.prepare<[number, number], { annuaire_id: number; seq: number }>(
      'SELECT annuaire_id, seq FROM changes WHERE deleted = 1 AND at < ? ORDER BY at LIMIT ?',
    );
    this.overCount = db.prepare<[number, number], { id: number; surplus: number }>(
      'SELECT id, change_tombstones - ? AS surplus FROM annuaires WHERE change_tombstones > ? LIMIT 1',
    );
    this.oldestOf = db.prepare<[number, number], { annuaire_id: number; seq: number }>(
      'SELECT annuaire_id, seq FROM changes WHERE annuaire_id = ? AND deleted = 1 ORDER BY seq LIMIT ?',
    );
    this.deleteEntry = db.prepare('DELETE FROM changes WHERE annuaire_id = ? AND seq = ?');
    this.raiseFloor = db.prepare('UPDATE annuaires SET change_floor = max(change_floor, ?) WHERE id = ?');
  }

  /** Appends a change (inside the caller's transaction) and returns its seq. */
  record(annuaireId: number, contactId: number, deleted: boolean, now: number): number {
    const seq = this.nextSeq.get(annuaireId);
    if (seq === undefined) throw new Error(`no annuaire ${annuaireId}`);
    this.put.run(annuaireId, seq, contactId, deleted ? 1 : 0, now);
    return seq;
  }

  head(annuaireId: number): JournalHead {
    return this.headStmt.get(annuaireId) ?? { seq: 0, floor: 0 };
  }

  /** The last seq of each of `annuaireIds` (one statement, whatever their number). */
  heads(annuaireIds: number[]): Map<number, number> {
    return new Map(this.headsStmt.all(JSON.stringify(annuaireIds)).map((r) => [r.id, r.seq]));
  }

  /** Entries after `seq`, oldest first, at most `limit`. */
  since(annuaireId: number, seq: number, limit: number): JournalEntry[] {
    return this.sinceStmt.all(annuaireId, seq, limit).map((r) => ({ seq: r.seq, contactId: r.contact_id, deleted: r.deleted === 1 }));
  }

  /**
   * One trim step: at most `policy.trimStepRows` tombstones, older than the age limit or past
   * an annuaire's count limit, in one transaction. Returns how many went (0: nothing left).
   */
  trimStep(policy: JournalPolicy, now: number): number {
    return this.db.transaction(() => {
      let doomed = this.oldTombstones.all(now - policy.tombstoneMaxAgeMs, policy.trimStepRows);
      if (doomed.length === 0) {
        const over = this.overCount.get(policy.maxTombstonesPerAnnuaire, policy.maxTombstonesPerAnnuaire);
        if (over) doomed = this.oldestOf.all(over.id, Math.min(over.surplus, policy.trimStepRows));
      }
      for (const { annuaire_id, seq } of doomed) {
        this.deleteEntry.run(annuaire_id, seq);
        this.raiseFloor.run(seq, annuaire_id);
      }
      return doomed.length;
    })();
  }
}
