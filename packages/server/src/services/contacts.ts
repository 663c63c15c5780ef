import type { Contact, ParsedParamsOf } from '@annuaire/protocol';
import { AppError, invalidParam } from '../errors';
import type { ContactRepository, JournalRepository } from '../store/backend';
import { SORT_KEYS, sortKeyOf, type SortKey, type SortOrder } from '../store/rows';
import { fold } from '../text/fold';
import { mergeContact, parseData, recordOf, toContact, toRecord } from './contact-record';
import { queryWords } from './search';
import type { AuthSession } from './session';
import type { CountryCode } from 'libphonenumber-js';
import type { QuotaGuard } from './quota';

type UpdateFields = Omit<ParsedParamsOf<'update_contact'>, 'contact_id' | 'version'>;

/** Every rule about contacts. The annuaire is always the session's own: no parameter can name another. */
export class ContactService {
  constructor(
    private readonly store: ContactRepository,
    private readonly journal: JournalRepository,
    private readonly quota: QuotaGuard,
    /** Where numbers written without a country code are assumed to be (the server's setting). */
    private readonly phoneRegion: CountryCode,
    private readonly now: () => number = Date.now,
  ) {}

  async add(session: AuthSession, fields: ParsedParamsOf<'add_contact'>): Promise<Contact> {
    const merged = mergeContact(undefined, fields);
    const [row] = await this.store.insert(session.annuaireId, [{ record: toRecord(merged, this.phoneRegion) }], this.timestamp(), this.quota.guard);
    return toContact(row!);
  }

  async get(session: AuthSession, id: number): Promise<Contact> {
    const row = await this.store.get(session.annuaireId, id);
    if (!row) throw new AppError('contact_not_found');
    return toContact(row);
  }

  /**
   * Optimistic concurrency: the write happens only if the stored version is the one the
   * client read. Otherwise version_conflict carries the current contact and nothing changes.
   */
  async update(session: AuthSession, id: number, version: number, fields: UpdateFields): Promise<Contact> {
    const row = await this.store.get(session.annuaireId, id);
    if (!row) throw new AppError('contact_not_found');
    if (row.version !== version) throw new AppError('version_conflict', { current: toContact(row) });
    const merged = mergeContact({ nom: row.nom, prenom: row.prenom, data: parseData(row) }, fields);
    // An account over its quota (lowered since) may still shrink its contacts, never grow them (the guard).
    const updated = await this.store.update(session.annuaireId, id, version, toRecord(merged, this.phoneRegion), this.timestamp(), this.quota.guard);
    if (!updated) {
      const current = await this.store.get(session.annuaireId, id);
      throw current ? new AppError('version_conflict', { current: toContact(current) }) : new AppError('contact_not_found');
    }
    return toContact(updated);
  }

  async delete(session: AuthSession, id: number): Promise<void> {
    if (!(await this.store.delete(session.annuaireId, id, this.timestamp()))) throw new AppError('contact_not_found');
  }

  /** A page from the start, after a cursor, or at an offset (to jump, e.g. to the end of a long list). */
  async list(session: AuthSession, sort: SortOrder, limit: number, cursor?: string, offset?: number) {
    if (cursor !== undefined && offset !== undefined) throw invalidParam('offset', 'cursor_and_offset');
    const after = cursor === undefined ? undefined : decodeCursor(cursor, SORT_KEYS[sort].length);
    // Read before the page: changes_since from it misses nothing the page lacks (a later
    // change has a later seq, whether the page shows it or not).
    const seq = (await this.journal.head(session.annuaireId)).seq;
    // One row more than asked tells whether another page exists.
    const rows =
      offset !== undefined
        ? await this.store.listPage(session.annuaireId, limit + 1, offset, sort)
        : await this.store.list(session.annuaireId, sort, limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      contacts: page.map(toContact),
      total: await this.store.count(session.annuaireId),
      next_cursor: rows.length > limit && last ? encodeCursor(sortKeyOf(last, sort)) : null,
      seq,
    };
  }

  /** The seed's search: exact nom and prénom, ignoring case and accents; no prénom: every contact of that nom. */
  async findByName(session: AuthSession, nom: string, prenom = ''): Promise<Contact[]> {
    const found = await this.store.findByName(session.annuaireId, fold(nom.trim()), fold(prenom.trim()));
    if (found.length === 0) throw new AppError('contact_not_found');
    return found.map(toContact);
  }

  /**
   * Free text over every field, ranked in tiers (store/backend.ts ContactRepository.search);
   * an empty query lists everything in name order.
   */
  async search(session: AuthSession, query: string, limit: number, offset: number) {
    const words = queryWords(query);
    if (words.length === 0) {
      const rows = await this.store.listPage(session.annuaireId, limit, offset);
      return { contacts: rows.map(toContact), total: await this.store.count(session.annuaireId) };
    }
    const { rows, total, totalIsLowerBound } = await this.store.search(session.annuaireId, words, limit, offset);
    const contacts = rows.map(toContact);
    // Present only when it says something: « more than `total` ».
    return totalIsLowerBound ? { contacts, total, total_is_lower_bound: true } : { contacts, total };
  }

  /**
   * Builds the search index from the contacts when it is missing or was derived by
   * older rules (after a migration, or a change of toRecord). Runs at start-up.
   */
  ensureSearchIndex(): Promise<void> {
    return this.store.ensureSearchIndex((row) => recordOf(row, this.phoneRegion));
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
