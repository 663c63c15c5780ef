import type { ClientBase } from 'pg';
import type { ContactRecord, ContactRow } from '../rows';
import { EXACT_TOTAL_UP_TO, SEARCH_INDEX_VERSION } from '../search-index';
import { corrections, typoWords } from '../../services/search';
import { completableWords, MAX_COMPLETIONS } from '../sqlite-search';
import { deletionNeighbourhood } from '../../text/words';
import { codePoints, indexTerm, PREFIX_TERMS, termRows, TERMS_VERSION, TOP } from './search-terms';
import { planQuery, type WordSpec } from './search-sql';

/** A pool or a transaction's client: what a statement runs on. */
export type Queryable = Pick<ClientBase, 'query'>;

export interface PgSearchPage {
  /** Contact ids of the page, best rank first, by nom_key, prenom_key, id inside a rank. */
  ids: number[];
  total: number;
  totalIsLowerBound: boolean;
}

/**
 * The derivation rules' version: SQLite's (the words, toRecord) and this index's own terms
 * (search-terms.ts), so that a change to either rebuilds it.
 */
export const PG_SEARCH_VERSION = SEARCH_INDEX_VERSION * 100 + TERMS_VERSION;

/** Typo candidates read per query word, as on SQLite (store/search-index.ts). */
const MAX_TYPO_CANDIDATES = 200;

/**
 * Search on PostgreSQL, by the same rules as on SQLite (services/search.ts planSearch's tiers;
 * text/words.ts for the words). Tables: PG_MIGRATIONS version 2 (search_terms, search_vocab,
 * search_typo).
 *
 * Each term's contacts come from a btree in name order, so a tier is read from its start and
 * stops after the page, and the total stops counting past EXACT_TOTAL_UP_TO: a search costs
 * its page and its capped count, not the annuaire (see search-sql.ts for the statements).
 */
export class PgSearchIndex {
  /** Indexes a contact (or re-indexes it after a change), inside its write's transaction (`tx`). */
  async put(tx: Queryable, annuaireId: number, contactId: number, record: ContactRecord): Promise<void> {
    const rows = termRows(record);
    await tx.query('DELETE FROM search_terms WHERE contact_id = $1', [contactId]);
    // Every term under kind 0, and again under each kind it is (search-sql.ts KIND).
    await tx.query(
      `INSERT INTO search_terms (annuaire_id, kind, term, nom_key, prenom_key, contact_id, en, ea, pn)
       SELECT $2, k.kind, t.term, $3, $4, $1, t.en, t.ea, t.pn
       FROM unnest($5::text[], $6::boolean[], $7::boolean[], $8::boolean[]) AS t(term, en, ea, pn)
       JOIN (VALUES (0), (1), (2), (3)) AS k(kind)
         ON k.kind = 0 OR (k.kind = 1 AND t.pn) OR (k.kind = 2 AND t.ea) OR (k.kind = 3 AND t.en)`,
      [
        contactId,
        annuaireId,
        record.nomKey,
        record.prenomKey,
        rows.map((r) => r.term),
        rows.map((r) => r.en),
        rows.map((r) => r.ea),
        rows.map((r) => r.pn),
      ],
    );
    await this.addVocabulary(tx, annuaireId, record.vocabulary);
  }

  /** Removes a contact's entries, inside its deletion's transaction. */
  async remove(tx: Queryable, _annuaireId: number, contactId: number): Promise<void> {
    await tx.query('DELETE FROM search_terms WHERE contact_id = $1', [contactId]);
  }

  /** Removes an annuaire's entries and its vocabulary (delete_account), inside that transaction. */
  async removeAnnuaire(tx: Queryable, annuaireId: number): Promise<void> {
    await tx.query('DELETE FROM search_terms WHERE annuaire_id = $1', [annuaireId]);
    await tx.query('DELETE FROM search_vocab WHERE annuaire_id = $1', [annuaireId]);
    await tx.query('DELETE FROM search_typo WHERE annuaire_id = $1', [annuaireId]);
  }

  /**
   * Rebuilds the index from the contacts when it was derived by other rules (or before this
   * index existed: contacts written under PG migration 1 alone), in one transaction on `tx`,
   * which the caller opens; the state row's lock makes nodes starting together rebuild once.
   */
  async ensureCurrent(tx: Queryable, derive: (row: ContactRow) => ContactRecord): Promise<void> {
    const state = await tx.query<{ version: number }>('SELECT version FROM search_state WHERE id = 1 FOR UPDATE');
    if (state.rows[0]?.version === PG_SEARCH_VERSION) return;
    await this.clear(tx);
    for (let after = 0; ; ) {
      const rows = (
        await tx.query<ContactRow & { annuaire_id: string }>(
          `SELECT id, annuaire_id, nom, prenom, nom_key, prenom_key, data, version, created_at, updated_at
           FROM contacts WHERE id > $1 ORDER BY id LIMIT 1000`,
          [after],
        )
      ).rows;
      if (rows.length === 0) break;
      for (const row of rows) await this.put(tx, Number(row.annuaire_id), Number(row.id), derive(row));
      after = Number(rows.at(-1)!.id);
    }
    await this.markCurrent(tx);
  }

  /** Whether the index was derived by the current rules (else: clear, put every contact, markCurrent). */
  async isCurrent(db: Queryable): Promise<boolean> {
    const r = await db.query<{ version: number }>('SELECT version FROM search_state WHERE id = 1');
    return r.rows[0]?.version === PG_SEARCH_VERSION;
  }

  /** Empties the index, vocabulary included, before a rebuild (in the rebuild's transaction). */
  async clear(tx: Queryable): Promise<void> {
    await tx.query('TRUNCATE search_terms, search_vocab, search_typo');
  }

  async markCurrent(tx: Queryable): Promise<void> {
    await tx.query('UPDATE search_state SET version = $1 WHERE id = 1', [PG_SEARCH_VERSION]);
  }

  /** A page of matches for folded query words (services/search.ts queryWords) and the total. */
  async search(db: Queryable, annuaireId: number, words: string[], limit: number, offset: number): Promise<PgSearchPage> {
    const specs = await this.wordSpecs(db, annuaireId, words);
    const plan = planQuery(annuaireId, specs);
    const counted = await countOf(db, plan.count(EXACT_TOTAL_UP_TO + 1));
    const total = Math.min(counted, EXACT_TOTAL_UP_TO);
    const totalIsLowerBound = counted > EXACT_TOTAL_UP_TO;
    const ids: number[] = [];
    if (!totalIsLowerBound && offset >= total) return { ids, total, totalIsLowerBound };
    let skip = offset;
    for (const level of plan.levels) {
      if (ids.length === limit) break;
      const q = plan.tier(level, limit - ids.length, skip);
      const rows = (await db.query<{ contact_id: string }>(q.text, q.values)).rows;
      // An empty read from `skip` on means the whole tier lies before the page: skip past it.
      if (rows.length === 0 && skip > 0) skip -= await countOf(db, plan.tierCount(level, skip));
      else skip = 0;
      ids.push(...rows.map((r) => Number(r.contact_id)));
    }
    return { ids, total, totalIsLowerBound };
  }

  /** What each query word matches: its exact term, its completions or prefix range, its typo fixes. */
  private async wordSpecs(db: Queryable, annuaireId: number, words: string[]): Promise<WordSpec[]> {
    const completable = new Set(completableWords(words));
    const typos = new Set(typoWords(words));
    return Promise.all(
      words.map(async (w): Promise<WordSpec> => {
        const exact = indexTerm(w);
        const fixes = typos.has(w) ? corrections(w, await this.similarWords(db, annuaireId, w)).map(indexTerm) : [];
        // As SQLite: a long word's prefix is the vocabulary's words that start with it, when few.
        if (completable.has(w)) {
          const found = await this.wordsStartingWith(db, annuaireId, w, MAX_COMPLETIONS + 1);
          if (found.length <= MAX_COMPLETIONS) return { exact, prefix: { words: found.length > 0 ? found.map(indexTerm) : [exact] }, fixes };
        }
        const stream = codePoints(exact).slice(0, PREFIX_TERMS).join('');
        return { exact, prefix: { lo: exact, hi: exact + TOP, stream }, fixes };
      }),
    );
  }

  /** The annuaire's vocabulary words sharing a deletion-neighbourhood entry with `word`, in SQLite's order. */
  private async similarWords(db: Queryable, annuaireId: number, word: string): Promise<string[]> {
    // SQLite reads the variants in sorted order and keeps each word's first appearance.
    const r = await db.query<{ word: string }>(
      `SELECT word FROM search_typo WHERE annuaire_id = $1 AND variant = ANY($2::text[])
       GROUP BY word ORDER BY min(variant), word LIMIT $3`,
      [annuaireId, deletionNeighbourhood(word), MAX_TYPO_CANDIDATES],
    );
    return r.rows.map((x) => x.word);
  }

  private async wordsStartingWith(db: Queryable, annuaireId: number, prefix: string, limit: number): Promise<string[]> {
    const r = await db.query<{ word: string }>(
      'SELECT word FROM search_vocab WHERE annuaire_id = $1 AND word >= $2 AND word < $3 ORDER BY word LIMIT $4',
      [annuaireId, prefix, prefix + TOP, limit],
    );
    return r.rows.map((x) => x.word);
  }

  private async addVocabulary(tx: Queryable, annuaireId: number, words: string[]): Promise<void> {
    if (words.length === 0) return;
    const variants: string[] = [];
    const of: string[] = [];
    // In one order for every writer: two transactions adding the same new words wait, never deadlock.
    words = [...words].sort();
    for (const w of words) {
      for (const v of deletionNeighbourhood(w)) {
        variants.push(v);
        of.push(w);
      }
    }
    // Only words new to the annuaire get their neighbourhood written.
    await tx.query(
      `WITH new AS (
         INSERT INTO search_vocab (annuaire_id, word) SELECT $1, w FROM unnest($2::text[]) AS w
         ON CONFLICT DO NOTHING RETURNING word
       )
       INSERT INTO search_typo (annuaire_id, variant, word)
       SELECT $1, n.variant, n.word FROM unnest($3::text[], $4::text[]) AS n(variant, word) JOIN new USING (word)
       ON CONFLICT DO NOTHING`,
      [annuaireId, words, variants, of],
    );
  }
}

async function countOf(db: Queryable, q: { text: string; values: unknown[] }): Promise<number> {
  const r = await db.query<{ n: string }>(q.text, q.values);
  return Number(r.rows[0]!.n);
}
