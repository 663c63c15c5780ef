import { encodeFrame, type ContactChange, type ResultOf } from '@annuaire/protocol';
import { AppError } from '../errors';
import type { Backend } from '../store/backend';
import type { CommittedChange, JournalPolicy } from '../store/rows';
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

  /** Annuaires another process wrote to, to read on the next turn (poll). */
  private readonly othersWrote = new Set<number>();
  private polling: Promise<void> | undefined;

  constructor(
    private readonly backend: Pick<Backend, 'journal' | 'contacts' | 'onCommit' | 'onOtherWrites'>,
    private readonly policy: JournalPolicy,
    private readonly now: () => number = Date.now,
    /** Told when reading another process's writes fails (the next poll tries again). */
    private readonly onPollError: (err: Error) => void = () => {},
  ) {
    backend.onCommit((changes) => this.enqueue(changes));
    backend.onOtherWrites((annuaireId, seq) => {
      if (!this.listeners.has(annuaireId) || (this.told.get(annuaireId) ?? 0) >= seq) return;
      this.othersWrote.add(annuaireId);
      this.readPending().catch((err: Error) => this.onPollError(err));
    });
  }

  /** Pushes the annuaire's changes to `listener` from now on. */
  subscribe(annuaireId: number, listener: ChangeListener): void {
    let set = this.listeners.get(annuaireId);
    if (!set) {
      this.listeners.set(annuaireId, (set = new Set()));
      // Where other processes' writes start to count: the head, once read (a poll before that starts there too).
      this.head(annuaireId).then(
        (head) => {
          if (this.listeners.has(annuaireId)) this.told.set(annuaireId, Math.max(this.told.get(annuaireId) ?? 0, head));
        },
        (err: Error) => this.onPollError(err),
      );
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
  poll(): Promise<void> {
    for (const a of this.listeners.keys()) this.othersWrote.add(a);
    return this.readPending();
  }

  /** Reads the annuaires in othersWrote, joining the read under way if there is one. */
  private readPending(): Promise<void> {
    return (this.polling ??= this.pollOthers());
  }

  /** Reads the annuaires other processes wrote to, one read at a time, until none is left. */
  private async pollOthers(): Promise<void> {
    try {
      // Never done in the caller's turn: `polling` is set before the finally below clears it.
      await Promise.resolve();
      while (this.othersWrote.size > 0) {
        const annuaires = [...this.othersWrote].filter((a) => this.listeners.has(a));
        this.othersWrote.clear();
        if (annuaires.length > 0) await this.readOthers(annuaires);
      }
    } finally {
      this.polling = undefined;
    }
  }

  private async readOthers(annuaires: number[]): Promise<void> {
    const found: CommittedChange[] = [];
    const heads = await this.backend.journal.heads(annuaires);
    for (const [annuaireId, head] of heads) {
      let from = this.told.get(annuaireId) ?? head;
      while (from < head) {
        const { entries, rows } = await this.backend.journal.since(annuaireId, from, CHANGES_PER_EVENT);
        if (entries.length === 0) break;
        for (const e of entries) found.push({ annuaireId, seq: e.seq, contactId: e.contactId, row: rows.get(e.contactId) ?? null });
        from = entries.at(-1)!.seq;
      }
    }
    // What this process wrote meanwhile was enqueued (and told) already: push only what is new.
    this.enqueue(found.filter((c) => c.seq > (this.told.get(c.annuaireId) ?? 0)));
    for (const [annuaireId, head] of heads) {
      if (this.listeners.has(annuaireId)) this.told.set(annuaireId, Math.max(this.told.get(annuaireId) ?? 0, head));
    }
  }

  /** The annuaire's changes after `seq`, a page at a time, read in one snapshot. */
  async since(session: AuthSession, seq: number, limit: number): Promise<ResultOf<'changes_since'>> {
    const { head, entries, rows } = await this.backend.journal.since(session.annuaireId, seq, limit + 1);
    // Below the floor a tombstone was trimmed; above the head the client saw changes this
    // database never made (it was restored from a backup): either way, only a reload is exact.
    if (seq < head.floor || seq > head.seq) throw new AppError('resync_required');
    const page = entries.slice(0, limit);
    const changes = page.map((e): ContactChange => {
      const row = rows.get(e.contactId);
      return row ? { kind: 'changed', seq: e.seq, contact_id: e.contactId, contact: toContact(row) } : { kind: 'deleted', seq: e.seq, contact_id: e.contactId };
    });
    const more = entries.length > limit;
    return { changes, seq: more ? page.at(-1)!.seq : head.seq, more };
  }

  /** The annuaire's last change (list_contacts returns it with each page). */
  async head(annuaireId: number): Promise<number> {
    return (await this.backend.journal.head(annuaireId)).seq;
  }

  /**
   * Trims tombstones past the policy's age or count, one short transaction per turn of the
   * event loop so that requests run in between. Resolves with the rows trimmed.
   */
  async trim(shouldStop: () => boolean = () => false): Promise<number> {
    let total = 0;
    while (!shouldStop()) {
      const n = await this.backend.journal.trimStep(this.policy, this.now());
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
