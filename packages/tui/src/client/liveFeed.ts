import { EventEmitter } from 'node:events';
import { ProtocolError, type ContactChange, type ServerEvent } from '@annuaire/protocol';
import type { ServerClient } from './serverClient';

interface Events {
  /** Changes to apply, in seq order, each once. */
  changes: [ContactChange[]];
  /** The journal could not say what changed: everything shown must be loaded again. */
  reload: [];
}

/**
 * The annuaire's changes as this terminal must apply them: the server's contacts_changed
 * events, in seq order and each once, and after a reconnect (or a resync_required) exactly what
 * was missed, asked with changes_since from the last seq applied. Only a resync_required answer
 * makes the screens reload everything. Events that come while catching up wait their turn.
 */
export class LiveFeed extends EventEmitter<Events> {
  /** The last change applied; null until known (right after login). */
  seq: number | null = null;
  /** Changes held while the seq is being learnt or caught up. */
  private held: ContactChange[] | null = null;
  private user: string | null;

  constructor(private readonly conn: ServerClient) {
    super();
    this.setMaxListeners(50);
    this.user = conn.username;
    conn.on('event', (e) => this.onEvent(e));
    conn.on('resumed', () => void this.catchUp());
    conn.on('change', () => {
      if (conn.username === this.user) return;
      this.user = conn.username;
      this.seq = null;
      this.held = null;
      if (this.user) void this.learnSeq();
    });
    if (this.user) void this.learnSeq();
  }

  private onEvent(e: ServerEvent): void {
    if (e.event === 'resync_required') void this.catchUp();
    if (e.event !== 'contacts_changed') return;
    if (this.held) this.held.push(...e.changes);
    else this.apply(e.changes);
  }

  private apply(changes: ContactChange[]): void {
    if (this.seq === null) return;
    const fresh = changes.filter((c) => c.seq > this.seq!);
    if (fresh.length === 0) return;
    // A change missing before these (events dropped while this terminal lagged): ask for it.
    if (fresh[0]!.seq !== this.seq + 1) {
      void this.catchUp();
      return;
    }
    this.seq = fresh.at(-1)!.seq;
    this.emit('changes', fresh);
  }

  /** The annuaire's last seq, from a one-row list: changes after it come as events. */
  private async learnSeq(): Promise<void> {
    this.held = [];
    try {
      const page = await this.conn.request('list_contacts', { limit: 1 });
      this.seq = page.seq ?? null;
    } catch {
      // Offline or logged out: the next resume or login tries again.
    }
    this.release();
  }

  /** What changed since the last seq applied, page by page; a journal too short means reload. */
  async catchUp(): Promise<void> {
    if (this.held || this.seq === null) return;
    this.held = [];
    const found: ContactChange[] = [];
    try {
      for (let seq = this.seq, more = true; more; ) {
        const page: { changes: ContactChange[]; seq: number; more: boolean } = await this.conn.request('changes_since', { seq, limit: 500 });
        found.push(...page.changes);
        this.seq = seq = page.seq;
        more = page.more;
      }
    } catch (err) {
      if (err instanceof ProtocolError && err.code === 'resync_required') {
        found.length = 0;
        this.emit('reload');
        this.held = null;
        await this.learnSeq();
        return;
      }
      // Offline again: the next 'resumed' catches up from the same seq.
    }
    if (found.length > 0) this.emit('changes', found);
    this.release();
  }

  private release(): void {
    const held = this.held ?? [];
    this.held = null;
    if (held.length > 0) this.apply(held);
  }
}

const feeds = new WeakMap<ServerClient, LiveFeed>();

/** The one feed of a connection, made on first use. */
export function liveFeedOf(conn: ServerClient): LiveFeed {
  let feed = feeds.get(conn);
  if (!feed) feeds.set(conn, (feed = new LiveFeed(conn)));
  return feed;
}
