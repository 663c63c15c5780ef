import type { ClientBase } from 'pg';
import type { ContactRecord } from '../rows';

/** A pool or a transaction's client: what a statement runs on. */
export type Queryable = Pick<ClientBase, 'query'>;

export interface PgSearchPage {
  /** Contact ids of the page, best rank first, by nom_key, prenom_key, id inside a rank. */
  ids: number[];
  total: number;
  totalIsLowerBound: boolean;
}

/**
 * Search on PostgreSQL, by the same rules as on SQLite (services/search.ts planSearch's tiers;
 * text/words.ts for the words). Its tables come in PG_MIGRATIONS version 2.
 * (Seam for issue 14: filled in by the search work.)
 */
export class PgSearchIndex {
  /** Indexes a contact, inside its write's transaction (`tx`). */
  async put(_tx: Queryable, _annuaireId: number, _contactId: number, _record: ContactRecord): Promise<void> {
    // Nothing to index until the search work fills this in: the writes that call it must run.
  }

  /** Removes a contact's entries, inside its deletion's transaction. */
  async remove(_tx: Queryable, _annuaireId: number, _contactId: number): Promise<void> {
    // Nothing to index until the search work fills this in: the writes that call it must run.
  }

  /** Removes an annuaire's entries (delete_account), inside that transaction. */
  async removeAnnuaire(_tx: Queryable, _annuaireId: number): Promise<void> {
    // Nothing to index until the search work fills this in: the writes that call it must run.
  }

  /** A page of matches for folded query words (services/search.ts queryWords) and the total. */
  async search(_db: Queryable, _annuaireId: number, _words: string[], _limit: number, _offset: number): Promise<PgSearchPage> {
    throw new Error('PgSearchIndex.search: not written yet');
  }
}
