import { EventEmitter } from 'node:events';
import { compareByNom, type Contact, type ContactChange } from '@annuaire/protocol';

export interface Page {
  contacts: Contact[];
  total: number;
  /** search_contacts: more matches exist than `total` (the server stops counting at 10,000). */
  total_is_lower_bound?: boolean;
}

/** Fetches `limit` rows from position `offset` (list_contacts and search_contacts both take an offset). */
export type PageFetcher = (at: { offset: number; limit: number }) => Promise<Page>;

export const PAGE_SIZE = 200;
/** Pages kept in memory: the farthest from the view go first. 20 × 200 rows, whatever the list's length. */
export const MAX_PAGES = 20;

/**
 * The rows of one list (all contacts, or one search), loaded lazily by fixed pages wherever the
 * view is (`want`): a jump to the end of 100,000 rows is one request at that offset, not a walk
 * from the start. Pages load one at a time, the one the view needs first; pages far from the view
 * are dropped, so memory stays bounded on any list. A pager is for one query: the screen makes a
 * new one when the query changes and drops the old one, whose late answers are then ignored
 * (`dispose`), so a newer query always wins.
 */
export class ContactPager extends EventEmitter<{ change: []; refreshed: [] }> {
  total: number | null = null;
  /** Whether the source said there are more rows than `total`. */
  totalIsLowerBound = false;
  loading = false;
  error: unknown = null;
  private readonly pages = new Map<number, Contact[]>();
  private from = 0;
  private to = 0;
  private disposed = false;
  /** Pages shown but loaded before the last refresh(): loaded again, shown meanwhile. */
  private readonly stale = new Set<number>();
  /** Counts refresh() calls: an answer asked before the latest one is stale on arrival. */
  private epoch = 0;

  /** `maxRows`: the most rows the source can reach (search_contacts stops at an offset of 10,000). */
  constructor(
    private readonly fetchPage: PageFetcher,
    private readonly maxRows = Number.MAX_SAFE_INTEGER,
  ) {
    super();
  }

  /** Row `index`, or undefined while its page is not loaded. */
  row(index: number): Contact | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** Where a contact is among the loaded rows, or -1. */
  indexOf(id: number): number {
    for (const [page, rows] of this.pages) {
      const i = rows.findIndex((c) => c.id === id);
      if (i >= 0) return page * PAGE_SIZE + i;
    }
    return -1;
  }

  /** How many rows are held in memory (bounded by MAX_PAGES pages). */
  get heldRows(): number {
    let n = 0;
    for (const rows of this.pages.values()) n += rows.length;
    return n;
  }

  /** Asks for rows `from`..`to` (inclusive) to be loaded: the view and some margin around it. */
  want(from: number, to: number): void {
    this.from = Math.max(0, from);
    this.to = Math.max(this.from, to);
    this.pump();
  }

  /**
   * Shows changed contacts in place among the rows held. Returns whether that is all it takes:
   * false when the rows must be loaded again (refresh) because a contact was added, deleted,
   * renamed (it may move) or is not held, or because the list is filtered (any edit may change
   * what matches).
   */
  patch(changes: ContactChange[], filtered: boolean): boolean {
    let inPlace = !filtered;
    for (const c of changes) {
      const at = this.indexOf(c.contact_id);
      const old = at >= 0 ? this.row(at) : undefined;
      if (c.kind === 'deleted' || !old || old.nom !== c.contact.nom || old.prenom !== c.contact.prenom) {
        inPlace = false;
        continue;
      }
      // Shown at once, even when a refresh follows.
      this.pages.get(Math.floor(at / PAGE_SIZE))![at % PAGE_SIZE] = c.contact;
    }
    this.emit('change');
    return inPlace;
  }

  /**
   * Loads the rows in view again (a filtered list runs its search again), keeping those shown
   * until their new page arrives; pages out of view are dropped. Emits 'refreshed' when done.
   */
  refresh(): void {
    this.epoch++;
    for (const p of [...this.pages.keys()]) {
      if (p * PAGE_SIZE > this.to || (p + 1) * PAGE_SIZE <= this.from) this.pages.delete(p);
      else this.stale.add(p);
    }
    if (this.stale.size === 0) this.total = null;
    this.error = null;
    this.pump();
  }

  /** Forget answers still on their way and stop loading. */
  dispose(): void {
    this.disposed = true;
    this.removeAllListeners();
  }

  /** The first missing page the view needs, nearest to its start first. */
  private nextPage(): number | null {
    const last = this.total === null ? this.to : Math.min(this.to, this.total - 1);
    if (last < this.from && this.total !== null) return null;
    const first = Math.floor(Math.min(this.from, Math.max(0, last)) / PAGE_SIZE);
    const end = Math.floor(Math.max(0, last) / PAGE_SIZE);
    for (let p = first; p <= end; p++) if (!this.pages.has(p) || this.stale.has(p)) return p;
    // Stale pages out of the view's reach (the list shrank) are dropped, not loaded.
    for (const p of this.stale) {
      if (p < first || p > end) {
        this.stale.delete(p);
        this.pages.delete(p);
      }
    }
    return null;
  }

  private pump(): void {
    if (this.loading || this.disposed || this.error) return;
    const page = this.nextPage();
    if (page === null) return;
    this.loading = true;
    this.emit('change');
    const epoch = this.epoch;
    this.fetchPage({ offset: page * PAGE_SIZE, limit: PAGE_SIZE }).then(
      (answer) => {
        if (this.disposed) return;
        this.loading = false;
        this.total = Math.min(answer.total, this.maxRows);
        this.totalIsLowerBound = answer.total_is_lower_bound === true;
        this.pages.set(page, answer.contacts);
        // Asked before a refresh: shown, but loaded again.
        if (epoch === this.epoch) this.stale.delete(page);
        else this.stale.add(page);
        this.evict();
        this.emit('change');
        this.pump();
        if (!this.loading && this.stale.size === 0 && epoch === this.epoch) this.emit('refreshed');
      },
      (err: unknown) => {
        if (this.disposed) return;
        this.loading = false;
        this.error = err;
        this.emit('change');
      },
    );
  }

  private evict(): void {
    const centre = (this.from + this.to) / 2 / PAGE_SIZE;
    while (this.pages.size > MAX_PAGES) {
      let farthest = -1;
      for (const p of this.pages.keys()) if (farthest < 0 || Math.abs(p - centre) > Math.abs(farthest - centre)) farthest = p;
      this.pages.delete(farthest);
      this.stale.delete(farthest);
    }
  }

  /** After an error (the link dropped, say): try the same page again. */
  retry(): void {
    this.error = null;
    this.pump();
  }
}

/**
 * Where `contact` now sits in the full list sorted by nom (after an edit renamed it, say): a binary
 * search with one-row pages at chosen offsets, about 17 requests on 100,000 contacts. Null when
 * the row found there is not that contact (it changed again meanwhile, or the sort disagrees).
 */
export async function locateInList(contact: Pick<Contact, 'nom' | 'prenom' | 'id'>, total: number, rowAt: (offset: number) => Promise<Contact | undefined>): Promise<number | null> {
  let lo = 0;
  let hi = total;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const row = await rowAt(mid);
    if (!row) return null;
    if (compareByNom(row, contact) < 0) lo = mid + 1;
    else hi = mid;
  }
  const found = lo < total ? await rowAt(lo) : undefined;
  return found?.id === contact.id ? lo : null;
}
