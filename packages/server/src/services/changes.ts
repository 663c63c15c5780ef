import { encodeFrame, type ContactChange, type ResultOf } from '@annuaire/protocol';
import { AppError } from '../errors';
import type { CommittedChange, ContactStore } from '../store/contacts';
import type { JournalPolicy } from '../store/journal';
import { toContact } from './contact-record';
import type { AuthSession } from './session';

/** A logged-in connection listening to its annuaire's changes. */
export interface ChangeListener {
  /** One encoded contacts_changed frame, the same string for every listener; `seq` is its last change's. */
  pushChanges(frame: string, seq: number): void;
}

/** Changes per contacts_changed event: an import batch of thousands goes out in frames of a readable size. */
export const CHANGES_PER_EVENT = 200;

/**
 * The journal read back (changes_since) and pushed live (contacts_changed). Writers only
 * queue what they committed; the fan-out runs on the next turn of the event loop, each
 * frame encoded once whatever the number of listeners, and nothing is queued for an
 * annuaire nobody listens to.
 */
export class ChangeFeed {
  private readonly listeners = new Map<number, Set<ChangeListener>>();
  private readonly queued = new Map<number, CommittedChange[]>();
  private flushing = false;
  /** Per annuaire listened to: the last seq queued for its listeners (written here or found by poll()). */
  private readonly told = new Map<number, number>();

  constructor(
    private readonly store: ContactStore,
    private readonly policy: JournalPolicy,
    private readonly now: () => number = Date.now,
  ) {
    store.onCommit = (changes) => this.enqueue(changes);
  }

  subscribe(annuaireId: number, listener: ChangeListener): void {
    let set = this.listeners.get(annuaireId);
    if (!set) {
      this.listeners.set(annuaireId, (set = new Set()));
      this.told.set(annuaireId, this.head(annuaireId));
    }
    set.add(listener);
  }

  unsubscribe(annuaireId: number, listener: ChangeListener): void {
    const set = this.listeners.get(annuaireId);
    if (!set) return;
    set.delete(listener);
    if (set.size === 0) {
      this.listeners.delete(annuaireId);
      this.told.delete(annuaireId);
    }
  }

  /**
   * Writes made by another server process on the same database: one statement reads the heads
   * of the annuaires listened to here; any past what was told is read from the journal and
   * pushed. The journal keeps a contact's last change only, so a contact changed twice between
   * two polls comes once: clients see a gap in seq and catch up with changes_since.
   */
  poll(): void {
    if (this.listeners.size === 0) return;
    const found: CommittedChange[] = [];
    for (const [annuaireId, head] of this.store.journal.heads([...this.listeners.keys()])) {
      let from = this.told.get(annuaireId) ?? head;
      while (from < head) {
        const entries = this.store.journal.since(annuaireId, from, CHANGES_PER_EVENT);
        if (entries.length === 0) break;
        const rows = new Map(this.store.getMany(annuaireId, entries.filter((e) => !e.deleted).map((e) => e.contactId)).map((r) => [r.id, r]));
        for (const e of entries) found.push({ annuaireId, seq: e.seq, contactId: e.contactId, row: rows.get(e.contactId) ?? null });
        from = entries.at(-1)!.seq;
      }
      this.told.set(annuaireId, head);
    }
    if (found.length > 0) this.enqueue(found);
  }

  /** The annuaire's changes after `seq`, a page at a time, read in one snapshot. */
  since(session: AuthSession, seq: number, limit: number): ResultOf<'changes_since'> {
    const annuaire = session.annuaireId;
    return this.store.transaction(() => {
      const head = this.store.journal.head(annuaire);
      // Below the floor a tombstone was trimmed; above the head the client saw changes this
      // database never made (it was restored from a backup): either way, only a reload is exact.
      if (seq < head.floor || seq > head.seq) throw new AppError('resync_required');
      const entries = this.store.journal.since(annuaire, seq, limit + 1);
      const page = entries.slice(0, limit);
      const rows = new Map(
        this.store.getMany(annuaire, page.filter((e) => !e.deleted).map((e) => e.contactId)).map((r) => [r.id, r]),
      );
      const changes = page.map((e): ContactChange => {
        const row = rows.get(e.contactId);
        return row ? { kind: 'changed', seq: e.seq, contact_id: e.contactId, contact: toContact(row) } : { kind: 'deleted', seq: e.seq, contact_id: e.contactId };
      });
      const more = entries.length > limit;
      return { changes, seq: more ? page.at(-1)!.seq : head.seq, more };
    });
  }

  /** The annuaire's last change (list_contacts returns it with each page). */
  head(annuaireId: number): number {
    return this.store.journal.head(annuaireId).seq;
  }

  /**
   * Trims tombstones past the policy's age or count, one short transaction per turn of the
   * event loop so that requests run in between. Resolves with the rows trimmed.
   */
  async trim(shouldStop: () => boolean = () => false): Promise<number> {
    let total = 0;
    while (!shouldStop()) {
      const n = this.store.journal.trimStep(this.policy, this.now());
      total += n;
      if (n < this.policy.trimStepRows) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return total;
  }

  private enqueue(changes: CommittedChange[]): void {
    for (const c of changes) {
      if (!this.listeners.has(c.annuaireId)) continue;
      this.told.set(c.annuaireId, Math.max(this.told.get(c.annuaireId) ?? 0, c.seq));
      let list = this.queued.get(c.annuaireId);
      if (!list) this.queued.set(c.annuaireId, (list = []));
      list.push(c);
    }
    if (this.queued.size > 0 && !this.flushing) {
      this.flushing = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushing = false;
    const queued = [...this.queued];
    this.queued.clear();
    for (const [annuaireId, changes] of queued) {
      const listeners = this.listeners.get(annuaireId);
      if (!listeners) continue;
      for (let i = 0; i < changes.length; i += CHANGES_PER_EVENT) {
        const part = changes.slice(i, i + CHANGES_PER_EVENT).map(toChange);
        const seq = part.at(-1)!.seq;
        const frame = encodeFrame({ event: 'contacts_changed', seq, changes: part });
        for (const l of listeners) l.pushChanges(frame, seq);
      }
    }
  }
}

function toChange(c: CommittedChange): ContactChange {
  return c.row
    ? { kind: 'changed', seq: c.seq, contact_id: c.contactId, contact: toContact(c.row) }
    : { kind: 'deleted', seq: c.seq, contact_id: c.contactId };
}
