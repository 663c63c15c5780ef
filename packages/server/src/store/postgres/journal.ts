import type pg from 'pg';
import type { JournalPage, JournalRepository } from '../backend';
import type { ContactRow, JournalEntry, JournalHead, JournalPolicy } from '../rows';
import { prepared, query, withTransaction } from './pool';

/** The change journal on PostgreSQL (store/journal.ts); PgContacts writes it in each write's transaction. */
export class PgJournal implements JournalRepository {
  constructor(private readonly pool: pg.Pool) {}

  async head(annuaireId: number): Promise<JournalHead> {
    const rows = await query<JournalHead>(this.pool, 'SELECT change_seq AS seq, change_floor AS floor FROM annuaires WHERE id = $1', [annuaireId]);
    return rows[0] ?? { seq: 0, floor: 0 };
  }

  async heads(annuaireIds: number[]): Promise<Map<number, number>> {
    if (annuaireIds.length === 0) return new Map();
    const rows = await query<{ id: number; seq: number }>(this.pool, 'SELECT id, change_seq AS seq FROM annuaires WHERE id = ANY($1::bigint[])', [annuaireIds]);
    return new Map(rows.map((r) => [r.id, r.seq]));
  }

  /**
   * One statement, hence one snapshot (as a REPEATABLE READ transaction would give, in one
   * round trip): the head, the entries after `seq`, and the current row of each entry not
   * deleted. The head comes on every row, and alone when there are no entries.
   */
  async since(annuaireId: number, seq: number, limit: number): Promise<JournalPage> {
    const rows = await query<ContactRow & { head_seq: number | null; head_floor: number | null; seq: number | null; contact_id: number; deleted: boolean }>(
      this.pool,
      `WITH head AS (SELECT change_seq, change_floor FROM annuaires WHERE id = $1),
            entries AS (SELECT seq, contact_id, deleted FROM changes WHERE annuaire_id = $1 AND seq > $2 ORDER BY seq LIMIT $3)
       SELECT h.change_seq AS head_seq, h.change_floor AS head_floor, e.seq, e.contact_id, e.deleted,
              c.id, c.nom, c.prenom, c.nom_key, c.prenom_key, c.data, c.version, c.created_at, c.updated_at
       FROM (SELECT 1) AS one
       LEFT JOIN head h ON true
       LEFT JOIN entries e ON true
       LEFT JOIN contacts c ON NOT e.deleted AND c.id = e.contact_id AND c.annuaire_id = $1
       ORDER BY e.seq`,
      [annuaireId, seq, limit],
    );
    const first = rows[0];
    const head = { seq: first?.head_seq ?? 0, floor: first?.head_floor ?? 0 };
    const entries: JournalEntry[] = [];
    const current = new Map<number, ContactRow>();
    for (const r of rows) {
      if (r.seq === null) continue;
      entries.push({ seq: r.seq, contactId: r.contact_id, deleted: r.deleted });
      if (r.id !== null) {
        const { id, nom, prenom, nom_key, prenom_key, data, version, created_at, updated_at } = r;
        current.set(id, { id, nom, prenom, nom_key, prenom_key, data, version, created_at, updated_at });
      }
    }
    return { head, entries, rows: current };
  }

  /**
   * One trim step, as on SQLite: at most `trimStepRows` tombstones older than the age limit,
   * else the oldest of one annuaire past its count limit; their annuaires' floors rise to the
   * highest seq trimmed. One transaction, the annuaires' rows locked first (in id order), as
   * writers lock them.
   */
  async trimStep(policy: JournalPolicy, now: number): Promise<number> {
    return withTransaction(this.pool, async (tx) => {
      let doomed = (
        await tx.query<{ annuaire_id: number; seq: number }>(
          prepared('SELECT annuaire_id, seq FROM changes WHERE deleted AND at < $1 ORDER BY at LIMIT $2', [now - policy.tombstoneMaxAgeMs, policy.trimStepRows]),
        )
      ).rows;
      if (doomed.length === 0) {
        const over = (
          await tx.query<{ id: number; surplus: number }>(
            prepared('SELECT id, change_tombstones - $1 AS surplus FROM annuaires WHERE change_tombstones > $1 LIMIT 1', [policy.maxTombstonesPerAnnuaire]),
          )
        ).rows[0];
        if (over) {
          doomed = (
            await tx.query<{ annuaire_id: number; seq: number }>(
              prepared('SELECT annuaire_id, seq FROM changes WHERE annuaire_id = $1 AND deleted ORDER BY seq LIMIT $2', [over.id, Math.min(over.surplus, policy.trimStepRows)]),
            )
          ).rows;
        }
      }
      if (doomed.length === 0) return 0;
      await tx.query(prepared('SELECT 1 FROM annuaires WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE', [[...new Set(doomed.map((d) => d.annuaire_id))]]));
      // RETURNING: only what this step deleted raises a floor (another node may trim the same rows).
      const { rows: trimmed } = await tx.query<{ annuaire_id: number; seq: number }>(
        prepared(
          `DELETE FROM changes c USING unnest($1::bigint[], $2::bigint[]) AS d(annuaire_id, seq)
         WHERE c.annuaire_id = d.annuaire_id AND c.seq = d.seq AND c.deleted
         RETURNING c.annuaire_id, c.seq`,
          [doomed.map((d) => d.annuaire_id), doomed.map((d) => d.seq)],
        ),
      );
      const floors = new Map<number, number>();
      for (const t of trimmed) floors.set(t.annuaire_id, Math.max(t.seq, floors.get(t.annuaire_id) ?? 0));
      if (floors.size > 0) {
        await tx.query(
          prepared(
            `UPDATE annuaires a SET change_floor = greatest(a.change_floor, f.seq)
           FROM unnest($1::bigint[], $2::bigint[]) AS f(id, seq) WHERE a.id = f.id`,
            [[...floors.keys()], [...floors.values()]],
          ),
        );
      }
      return trimmed.length;
    });
  }
}
