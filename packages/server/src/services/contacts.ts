import type { Contact, ParsedParamsOf } from '@annuaire/protocol';
import { AppError, invalidParam } from '../errors';
import type { ContactStore, SortKey, SortOrder } from '../store/contacts';
import { fold } from '../text/fold';
import { mergeContact, parseData, recordOf, toContact, toRecord } from './contact-record';
import { completableWords, corrections, MAX_COMPLETIONS, planSearch, queryWords, typoWords } from './search';
import type { AuthSession } from './session';
import type { QuotaGuard } from './quota';

type UpdateFields = Omit<ParsedParamsOf<'update_contact'>, 'contact_id' | 'version'>;

/** Every rule about contacts. The annuaire is always the session's own: no parameter can name another. */
export class ContactService {
  constructor(
    private readonly store: ContactStore,
    private readonly quota: QuotaGuard,
    private readonly now: () => number = Date.now,
  ) {}

  add(session: AuthSession, fields: ParsedParamsOf<'add_contact'>): Contact {
    const merged = mergeContact(undefined, fields);
    return toContact(
      this.store.transaction(() => {
        const row = this.store.insert(session.annuaireId, toRecord(merged), this.timestamp());
        this.quota.enforce(session.annuaireId);
        return row;
      }),
    );
  }

  get(session: AuthSession, id: number): Contact {
    const row = this.store.get(session.annuaireId, id);
    if (!row) throw new AppError('contact_not_found');
    return toContact(row);
  }

  /**
   * Optimistic concurrency: the write happens only if the stored version is the one the
   * client read. Otherwise version_conflict carries the current contact and nothing changes.
   */
  update(session: AuthSession, id: number, version: number, fields: UpdateFields): Contact {
    const row = this.store.get(session.annuaireId, id);
    if (!row) throw new AppError('contact_not_found');
    if (row.version !== version) throw new AppError('version_conflict', { current: toContact(row) });
    const merged = mergeContact({ nom: row.nom, prenom: row.prenom, data: parseData(row) }, fields);
    const updated = this.store.transaction(() => {
      const before = this.quota.usage(session.annuaireId);
      const written = this.store.update(session.annuaireId, id, version, toRecord(merged), this.timestamp());
      // An account over its quota (lowered since) may still shrink its contacts, never grow them.
      if (written) this.quota.enforce(session.annuaireId, before);
      return written;
    });
    if (!updated) {
      const current = this.store.get(session.annuaireId, id);
      throw current ? new AppError('version_conflict', { current: toContact(current) }) : new AppError('contact_not_found');
    }
    return toContact(updated);
  }

  delete(session: AuthSession, id: number): void {
    if (!this.store.delete(session.annuaireId, id, this.timestamp())) throw new AppError('contact_not_found');
  }

  /** A page from the start, after a cursor, or at an offset (to jump, e.g. to the end of a long list). */
  list(session: AuthSession, sort: SortOrder, limit: number, cursor?: string, offset?: number) {
    if (cursor !== undefined && offset !== undefined) throw invalidParam('offset', 'cursor_and_offset');
    const after = cursor === undefined ? undefined : decodeCursor(cursor, this.store.sortKeyLength(sort));
    // Read with the page, in the same turn: changes_since from it misses nothing the page lacks.
    const seq = this.store.journal.head(session.annuaireId).seq;
    // One row more than asked tells whether another page exists.
    const rows =
      offset !== undefined
        ? this.store.listPage(session.annuaireId, limit + 1, offset, sort)
        : this.store.list(session.annuaireId, sort, limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      contacts: page.map(toContact),
      total: this.store.count(session.annuaireId),
      next_cursor: rows.length > limit && last ? encodeCursor(this.store.sortKeyOf(last, sort)) : null,
      seq,
    };
  }

  /** The seed's search: exact nom and prénom, ignoring case and accents; no prénom: every contact of that nom. */
  findByName(session: AuthSession, nom: string, prenom = ''): Contact[] {
    const found = this.store.findByName(session.annuaireId, fold(nom.trim()), fold(prenom.trim()));
    if (found.length === 0) throw new AppError('contact_not_found');
    return found.map(toContact);
  }

  /**
   * Free text over every field, ranked (services/search.ts planSearch); an empty query
   * lists everything in name order.
   */
  search(session: AuthSession, query: string, limit: number, offset: number) {
    const words = queryWords(query);
    if (words.length === 0) {
      const rows = this.store.listPage(session.annuaireId, limit, offset);
      return { contacts: rows.map(toContact), total: this.store.count(session.annuaireId) };
    }
    const index = this.store.searchIndex;
    const annuaire = session.annuaireId;
    const completions = new Map<string, string[]>();
    for (const w of completableWords(words)) {
      const found = index.wordsStartingWith(annuaire, w, MAX_COMPLETIONS + 1);
      if (found.length <= MAX_COMPLETIONS) completions.set(w, found.length > 0 ? found : [w]);
    }
    const fixes = new Map<string, string[]>();
    for (const w of typoWords(words)) fixes.set(w, corrections(w, index.similarWords(annuaire, w)));
    const plan = planSearch(words, { completions, fixes });
    const { ids, total, totalIsLowerBound } = index.search(annuaire, plan.tiers, plan.all, limit, offset);
    const contacts = this.store.getMany(annuaire, ids).map(toContact);
    // Present only when it says something: « more than `total` ».
    return totalIsLowerBound ? { contacts, total, total_is_lower_bound: true } : { contacts, total };
  }

  /**
   * Builds the search index from the contacts when it is missing or was derived by
   * older rules (after a migration, or a change of toRecord). Runs at start-up.
   */
  ensureSearchIndex(): void {
    const index = this.store.searchIndex;
    if (index.isCurrent()) return;
    this.store.transaction(() => {
      index.clear();
      // In name order, each contact lands after the previous one: keys evenly spaced, no spreading.
      for (const annuaire of this.store.annuaireIds()) {
        for (let page = this.store.list(annuaire, 'nom', 1000); page.length > 0; ) {
          for (const row of page) this.store.index(annuaire, row.id, recordOf(row));
          page = this.store.list(annuaire, 'nom', 1000, this.store.sortKeyOf(page.at(-1)!, 'nom'));
        }
      }
      index.markCurrent();
    });
  }

  private timestamp(): string {
    return new Date(this.now()).toISOString();
  }
}

function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string, length: number): SortKey {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === length &&
      key.every((k) => typeof k === 'string' || typeof k === 'number')
    ) {
      return key;
    }
  } catch {
    // fall through
  }
  throw invalidParam('cursor', 'cursor_invalid');
}
