import type pg from 'pg';
import type { ContactRepository, NewContact, SearchResult, UsageGuard } from '../backend';
import { SORT_KEYS, type AnnuaireUsage, type CommittedChange, type ContactRecord, type ContactRow, type SortKey, type SortOrder } from '../rows';
import type { ChangeBus } from './changes';
import { prepared, query, storeError, withTransaction } from './pool';
import type { PgSearchIndex } from './search';

export const COLUMNS = 'c.id, c.nom, c.prenom, c.nom_key, c.prenom_key, c.data, c.version, c.created_at, c.updated_at';
const RETURNING = 'id, nom, prenom, nom_key, prenom_key, data, version, created_at, updated_at';

/**
 * Contacts on PostgreSQL (store/contacts.ts and store/sources.ts on SQLite). Every write
 * first locks its annuaire's row: the annuaire's writers take turns, so journal seqs commit
 * in order and two writers never wait on each other's rows (no deadlock).
 */
export class PgContacts implements ContactRepository {
  constructor(
    private readonly pool: pg.Pool,
    private readonly bus: ChangeBus,
    private readonly searchIndex: PgSearchIndex,
  ) {}

  async insert(annuaireId: number, contacts: NewContact[], now: string, guard?: UsageGuard): Promise<ContactRow[]> {
    if (contacts.length === 0) return [];
    return this.bus.write(async (tx, changes) => {
      const before = await lockAnnuaire(tx, annuaireId);
      // Ids taken first, in order, so that each row is known to be its contact's.
      const ids = (await tx.query<{ id: number }>(prepared(`SELECT nextval(pg_get_serial_sequence('contacts', 'id')) AS id FROM generate_series(1, $1)`, [contacts.length]))).rows.map((r) => r.id);
      const records = contacts.map((c) => c.record);
      const { rows } = await tx.query<ContactRow>(
        prepared(
          `INSERT INTO contacts (id, annuaire_id, nom, prenom, nom_key, prenom_key, data, version, created_at, updated_at)
         SELECT t.id, $2, t.nom, t.prenom, t.nom_key, t.prenom_key, t.data, 1, $8, $8
         FROM unnest($1::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
           AS t(id, nom, prenom, nom_key, prenom_key, data)
         RETURNING ${RETURNING}`,
          [ids, annuaireId, records.map((r) => r.nom), records.map((r) => r.prenom), records.map((r) => r.nomKey), records.map((r) => r.prenomKey), records.map((r) => r.data), now],
        ),
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      const inserted = ids.map((id) => byId.get(id)!);
      for (const [i, id] of ids.entries()) await this.searchIndex.put(tx, annuaireId, id, records[i]!);
      const sourced = contacts.flatMap((c, i) => (c.source ? [{ id: ids[i]!, ...c.source }] : []));
      if (sourced.length > 0) {
        await tx.query(
          prepared(
            `INSERT INTO contact_sources (contact_id, annuaire_id, format, text, version)
           SELECT t.id, $1, t.format, t.text, 1 FROM unnest($2::bigint[], $3::text[], $4::text[]) AS t(id, format, text)`,
            [annuaireId, sourced.map((s) => s.id), sourced.map((s) => s.format), sourced.map((s) => s.text)],
          ),
        );
      }
      const after = await journal(
        tx,
        changes,
        annuaireId,
        inserted.map((row) => ({ id: row.id, row })),
        now,
      );
      guard?.(after, before);
      return inserted;
    });
  }

  async update(annuaireId: number, id: number, expectedVersion: number, r: ContactRecord, now: string, guard?: UsageGuard): Promise<ContactRow | undefined> {
    return this.bus.write(async (tx, changes) => {
      const before = await lockAnnuaire(tx, annuaireId);
      const { rows } = await tx.query<ContactRow>(
        prepared(
          `UPDATE contacts SET nom = $1, prenom = $2, nom_key = $3, prenom_key = $4, data = $5,
                version = version + 1, updated_at = $6
         WHERE id = $7 AND annuaire_id = $8 AND version = $9
         RETURNING ${RETURNING}`,
          [r.nom, r.prenom, r.nomKey, r.prenomKey, r.data, now, id, annuaireId, expectedVersion],
        ),
      );
      const row = rows[0];
      if (!row) return undefined;
      await this.searchIndex.put(tx, annuaireId, id, r);
      const after = await journal(tx, changes, annuaireId, [{ id, row }], now);
      guard?.(after, before);
      return row;
    });
  }

  async delete(annuaireId: number, id: number, now: string): Promise<boolean> {
    return this.bus.write(async (tx, changes) => {
      await lockAnnuaire(tx, annuaireId);
      const found = await tx.query(prepared('SELECT 1 FROM contacts WHERE id = $1 AND annuaire_id = $2', [id, annuaireId]));
      if (found.rowCount === 0) return false;
      // Before the row goes, as on SQLite: the index may need the row to find its entries.
      await this.searchIndex.remove(tx, annuaireId, id);
      await tx.query(prepared('DELETE FROM contacts WHERE id = $1 AND annuaire_id = $2', [id, annuaireId]));
      await journal(tx, changes, annuaireId, [{ id, row: null }], now);
      return true;
    });
  }

  async get(annuaireId: number, id: number): Promise<ContactRow | undefined> {
    const rows = await query<ContactRow>(this.pool, `SELECT ${COLUMNS} FROM contacts c WHERE c.id = $1 AND c.annuaire_id = $2`, [id, annuaireId]);
    return rows[0];
  }

  async getMany(annuaireId: number, ids: number[]): Promise<ContactRow[]> {
    if (ids.length === 0) return [];
    return getMany(this.pool, annuaireId, ids);
  }

  async count(annuaireId: number): Promise<number> {
    const rows = await query<{ n: number }>(this.pool, 'SELECT count(*) AS n FROM contacts WHERE annuaire_id = $1', [annuaireId]);
    return rows[0]?.n ?? 0;
  }

  async usage(annuaireId: number): Promise<AnnuaireUsage> {
    const rows = await query<AnnuaireUsage>(this.pool, 'SELECT contact_count AS contacts, data_bytes AS bytes FROM annuaires WHERE id = $1', [annuaireId]);
    return rows[0] ?? { contacts: 0, bytes: 0 };
  }

  async list(annuaireId: number, order: SortOrder, limit: number, after?: SortKey): Promise<ContactRow[]> {
    const keys = SORT_KEYS[order];
    const orderBy = keys.map((k) => `c.${k}`).join(', ');
    if (!after) return this.listPage(annuaireId, limit, 0, order);
    if (after.length !== keys.length) throw new RangeError(`a ${order} cursor has ${keys.length} keys, not ${after.length}`);
    // The keys' columns are COLLATE "C": the comparison is byte by byte, as SQLite's.
    const position = keys.map((k, i) => `$${i + 3}::${k === 'id' ? 'bigint' : 'text'}`).join(', ');
    return query<ContactRow>(
      this.pool,
      `SELECT ${COLUMNS} FROM contacts c WHERE c.annuaire_id = $1 AND (${orderBy}) > (${position})
       ORDER BY ${orderBy} LIMIT $2`,
      [annuaireId, limit, ...after],
    );
  }

  async listPage(annuaireId: number, limit: number, offset: number, order: SortOrder = 'nom'): Promise<ContactRow[]> {
    const orderBy = SORT_KEYS[order].map((k) => `c.${k}`).join(', ');
    return query<ContactRow>(this.pool, `SELECT ${COLUMNS} FROM contacts c WHERE c.annuaire_id = $1 ORDER BY ${orderBy} LIMIT $2 OFFSET $3`, [annuaireId, limit, offset]);
  }

  async findByNames(annuaireId: number, names: { nomKey: string; prenomKey: string }[]): Promise<ContactRow[]> {
    if (names.length === 0) return [];
    return query<ContactRow>(
      this.pool,
      `SELECT ${COLUMNS} FROM contacts c
       JOIN (SELECT DISTINCT * FROM unnest($2::text[], $3::text[]) AS k(nom_key, prenom_key)) k
         ON c.nom_key = k.nom_key COLLATE "C" AND c.prenom_key = k.prenom_key COLLATE "C"
       WHERE c.annuaire_id = $1`,
      [annuaireId, names.map((n) => n.nomKey), names.map((n) => n.prenomKey)],
    );
  }

  async findByName(annuaireId: number, nomKey: string, prenomKey: string): Promise<ContactRow[]> {
    if (prenomKey === '') {
      return query<ContactRow>(this.pool, `SELECT ${COLUMNS} FROM contacts c WHERE c.annuaire_id = $1 AND c.nom_key = $2 ORDER BY c.prenom_key, c.id`, [annuaireId, nomKey]);
    }
    return query<ContactRow>(this.pool, `SELECT ${COLUMNS} FROM contacts c WHERE c.annuaire_id = $1 AND c.nom_key = $2 AND c.prenom_key = $3 ORDER BY c.id`, [annuaireId, nomKey, prenomKey]);
  }

  async widestLists(annuaireId: number): Promise<{ emails: number; phones: number }> {
    // data is JSON text (as on SQLite): parsed here, per row, only for this export header.
    const rows = await query<{ emails: number | null; phones: number | null }>(
      this.pool,
      `SELECT max(json_array_length(data::json -> 'emails')) AS emails, max(json_array_length(data::json -> 'telephones')) AS phones
       FROM contacts WHERE annuaire_id = $1`,
      [annuaireId],
    );
    return { emails: Math.max(1, rows[0]?.emails ?? 0), phones: Math.max(1, rows[0]?.phones ?? 0) };
  }

  async sources(format: string, ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await query<{ contact_id: number; text: string }>(this.pool, 'SELECT contact_id, text FROM contact_sources WHERE format = $1 AND contact_id = ANY($2::bigint[])', [format, ids]);
    return new Map(rows.map((r) => [r.contact_id, r.text]));
  }

  async search(annuaireId: number, words: string[], limit: number, offset: number): Promise<SearchResult> {
    let page;
    try {
      page = await this.searchIndex.search(this.pool, annuaireId, words, limit, offset);
    } catch (err) {
      throw storeError(err);
    }
    return { rows: await this.getMany(annuaireId, page.ids), total: page.total, totalIsLowerBound: page.totalIsLowerBound };
  }

  async ensureSearchIndex(derive: (row: ContactRow) => ContactRecord): Promise<void> {
    // Built by older rules, or never (a database made before search came, migration 2 says 0):
    // rebuilt from the contacts in one transaction, by the first node to start (a row lock).
    if (await this.searchIndex.isCurrent(this.pool)) return;
    await withTransaction(this.pool, (tx) => this.searchIndex.ensureCurrent(tx, derive));
  }
}

/** The rows of `ids` that belong to the annuaire, in the order of `ids` (one statement). */
export async function getMany(db: pg.Pool | pg.PoolClient, annuaireId: number, ids: number[]): Promise<ContactRow[]> {
  const sql = `SELECT ${COLUMNS} FROM unnest($2::bigint[]) WITH ORDINALITY AS j(id, position)
               JOIN contacts c ON c.id = j.id WHERE c.annuaire_id = $1 ORDER BY j.position`;
  try {
    return (await db.query<ContactRow>(prepared(sql, [annuaireId, ids]))).rows;
  } catch (err) {
    throw storeError(err);
  }
}

/** Locks the annuaire's row for this write (writers take turns) and reads its usage before it. */
async function lockAnnuaire(tx: pg.PoolClient, annuaireId: number): Promise<AnnuaireUsage> {
  const { rows } = await tx.query<AnnuaireUsage>(prepared('SELECT contact_count AS contacts, data_bytes AS bytes FROM annuaires WHERE id = $1 FOR NO KEY UPDATE', [annuaireId]));
  if (!rows[0]) throw new Error(`no annuaire ${annuaireId}`);
  return rows[0];
}

/**
 * Journals the written contacts (store/journal.ts on SQLite): takes the next seqs from the
 * annuaire's head, upserts each contact's one entry, and keeps the changes for the bus.
 * Returns the annuaire's usage after the write (kept by the triggers).
 */
async function journal(tx: pg.PoolClient, changes: CommittedChange[], annuaireId: number, written: { id: number; row: ContactRow | null }[], now: string): Promise<AnnuaireUsage> {
  const { rows } = await tx.query<{ seq: number; contacts: number; bytes: number }>(
    prepared(
      `UPDATE annuaires SET change_seq = change_seq + $2 WHERE id = $1
     RETURNING change_seq AS seq, contact_count AS contacts, data_bytes AS bytes`,
      [annuaireId, written.length],
    ),
  );
  const head = rows[0]!;
  const first = head.seq - written.length + 1;
  const entries = written.map((w, i) => ({ seq: first + i, contactId: w.id, row: w.row }));
  await tx.query(
    prepared(
      `INSERT INTO changes (annuaire_id, seq, contact_id, deleted, at)
     SELECT $1, t.seq, t.contact_id, t.deleted, $5 FROM unnest($2::bigint[], $3::bigint[], $4::boolean[]) AS t(seq, contact_id, deleted)
     ON CONFLICT (annuaire_id, contact_id) DO UPDATE SET seq = excluded.seq, deleted = excluded.deleted, at = excluded.at`,
      [annuaireId, entries.map((e) => e.seq), entries.map((e) => e.contactId), entries.map((e) => e.row === null), Date.parse(now)],
    ),
  );
  for (const e of entries) changes.push({ annuaireId, seq: e.seq, contactId: e.contactId, row: e.row });
  return { contacts: head.contacts, bytes: head.bytes };
}
