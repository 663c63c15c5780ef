import { EventEmitter } from 'node:events';
import type { Contact } from '@annuaire/protocol';

export interface Page {
  contacts: Contact[];
  total: number;
  /** Null when there is nothing after this page. */
  next: string | null;
}

/** Fetches `limit` rows after `loaded` rows (cursor from the previous page for list_contacts, offset for search). */
export type PageFetcher = (at: { cursor: string | null; offset: number; limit: number }) => Promise<Page>;

export const PAGE_MIN = 100;
export const PAGE_MAX = 500;

/**
 * The rows of one list (all contacts, or one search), loaded lazily from the start, a page at a
 * time, only as far as the view has asked (`want`). Pages load one after the other, never in
 * parallel, so a jump to the end of 100,000 rows is a run of large pages, not 1,000 requests at
 * once. A pager is for one query: the screen makes a new one when the query changes and drops the
 * old one, whose late answers are then ignored (`dispose`), so a newer query always wins.
 */
export class ContactPager extends EventEmitter<{ change: [] }> {
  rows: Contact[] = [];
  total: number | null = null;
  loading = false;
  error: unknown = null;
  private cursor: string | null = null;
  private exhausted = false;
  private wanted = 0;
  private disposed = false;

  constructor(private readonly fetchPage: PageFetcher) {
    super();
  }

  /** Asks for rows up to `index` (inclusive) to be loaded. */
  want(index: number): void {
    this.wanted = Math.max(this.wanted, index);
    this.pump();
  }

  /** Forget answers still on their way and stop loading. */
  dispose(): void {
    this.disposed = true;
    this.removeAllListeners();
  }

  get done(): boolean {
    return this.exhausted;
  }

  private pump(): void {
    if (this.loading || this.exhausted || this.disposed || this.error) return;
    if (this.rows.length > this.wanted) return;
    const limit = Math.min(PAGE_MAX, Math.max(PAGE_MIN, this.wanted - this.rows.length + 1));
    this.loading = true;
    this.emit('change');
    this.fetchPage({ cursor: this.cursor, offset: this.rows.length, limit }).then(
      (page) => {
        if (this.disposed) return;
        this.loading = false;
        this.rows = this.rows.concat(page.contacts);
        this.total = page.total;
        this.cursor = page.next;
        this.exhausted = page.next === null || page.contacts.length === 0 || this.rows.length >= page.total;
        this.emit('change');
        this.pump();
      },
      (err: unknown) => {
        if (this.disposed) return;
        this.loading = false;
        this.error = err;
        this.emit('change');
      },
    );
  }

  /** After an error (the link dropped, say): try the same page again. */
  retry(): void {
    this.error = null;
    this.pump();
  }
}
