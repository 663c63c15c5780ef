import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { LogFn } from '../../log';
import type { CommittedChange, RevokedSessions } from '../rows';
import type { PgDriver } from './driver';
import { CONNECTION_SETTINGS, numberTypes, prepared, query, storeError, withTransaction } from './pool';

/** The channel every node's writes are announced on: payload "<annuaireId>:<seq>:<nodeId>". */
export const CHANGES_CHANNEL = 'annuaire_changes';
/** The channel sessions revoked are announced on: payload JSON, RevokedSessions and the node's name. */
export const SESSIONS_CHANNEL = 'annuaire_sessions';

const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 5000;
/** The LISTEN connection only receives: a query now and then finds out whether it still does. */
const HEARTBEAT_MS = 15_000;
const HEARTBEAT_TIMEOUT_MS = 5000;

export interface ChangeBusOptions {
  driver: PgDriver;
  url: string;
  pool: pg.Pool;
  nodeId?: string;
  connectTimeoutMs?: number;
  log?: LogFn;
}

/**
 * The writes of this node and of the others. Once a write transaction (write()) has
 * committed, this node's listeners are told its changes (onCommit), and its annuaire's new
 * head is announced to the other nodes with pg_notify, in a statement of its own.
 *
 * Not inside the write's transaction: a transaction that notifies holds one lock for the
 * whole database from its commit until its commit is on disk, so notifying writers commit
 * one at a time, without group commit, however many nodes and cores (16 writers on this
 * 2-core machine: 15 % to 2× fewer writes per second with pg_notify inside). Announced
 * after, with synchronous_commit off (an announcement need not be durable), that lock is
 * held for microseconds, and heads committed meanwhile go out together. An announcement
 * lost (a node killed between its commit and its announcement) costs only time: every
 * node's change feed also reads the journal's heads each pollOthersMs.
 *
 * One dedicated connection LISTENs for the other nodes' announcements; when it drops
 * (PostgreSQL restarting) it reconnects by itself and, since announcements may have been
 * missed in between, tells the listeners every annuaire's head.
 */
export class ChangeBus {
  readonly nodeId: string;
  private readonly committed: ((changes: CommittedChange[]) => void)[] = [];
  private readonly others: ((annuaireId: number, seq: number) => void)[] = [];
  private readonly revocations: ((revoked: RevokedSessions | null) => void)[] = [];
  private listener: pg.Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private closing = false;
  /** Heads committed here and not announced yet (annuaire → seq). */
  private readonly unannounced = new Map<number, number>();
  private announcing: Promise<void> | undefined;

  constructor(private readonly options: ChangeBusOptions) {
    this.nodeId = options.nodeId ?? randomUUID();
  }

  onCommit(listener: (changes: CommittedChange[]) => void): void {
    this.committed.push(listener);
  }

  onOtherWrites(listener: (annuaireId: number, seq: number) => void): void {
    this.others.push(listener);
  }

  onOtherRevocations(listener: (revoked: RevokedSessions | null) => void): void {
    this.revocations.push(listener);
  }

  /** Tells the other nodes of sessions revoked here (the sessions are deleted already: committed). */
  async announceRevocation(revoked: RevokedSessions): Promise<void> {
    const payload = JSON.stringify({ ...revoked, node: this.nodeId });
    await query(this.options.pool, 'SELECT pg_notify($1, $2)', [SESSIONS_CHANNEL, payload]);
  }

  /**
   * Runs `fn` in a write transaction; once it has committed, the changes it pushed are told to
   * this node's listeners and announced to the other nodes (never those of a rollback).
   */
  async write<T>(fn: (tx: pg.PoolClient, changes: CommittedChange[]) => Promise<T>): Promise<T> {
    let changes: CommittedChange[] = [];
    const result = await withTransaction(this.options.pool, async (tx) => {
      changes = []; // a retried transaction starts afresh
      return fn(tx, changes);
    });
    if (changes.length > 0) {
      this.tell(this.committed, (l) => l(changes));
      this.announce(changes);
    }
    return result;
  }

  /** Queues the changes' heads for the other nodes; one statement at a time carries all queued. */
  private announce(changes: CommittedChange[]): void {
    for (const c of changes) this.unannounced.set(c.annuaireId, Math.max(c.seq, this.unannounced.get(c.annuaireId) ?? 0));
    this.announcing ??= this.sendAnnouncements();
  }

  private async sendAnnouncements(): Promise<void> {
    try {
      while (this.unannounced.size > 0) {
        const payloads = [...this.unannounced].map(([annuaireId, seq]) => `${annuaireId}:${seq}:${this.nodeId}`);
        this.unannounced.clear();
        await this.options.pool.query(
          prepared(`SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, p) FROM unnest($2::text[]) AS p`, [CHANGES_CHANNEL, payloads]),
        );
      }
    } catch (err) {
      // The other nodes find these writes at their next poll of the journal's heads.
      this.unannounced.clear();
      this.options.log?.({ event: 'change_announcement_failed', error: (err as Error).message });
    } finally {
      this.announcing = undefined;
    }
  }

  /** Opens the LISTEN connection (before the backend is handed out, so no announcement is missed). */
  async start(): Promise<void> {
    await this.listen();
    this.heartbeat = setInterval(() => this.check(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Stops listening, once the announcements of committed writes are out (the pool ends after). */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeat);
    await this.announcing;
    const client = this.listener;
    this.listener = undefined;
    await client?.end().catch(() => {});
  }

  private async listen(): Promise<void> {
    const client = new this.options.driver.Client({
      connectionString: this.options.url,
      connectionTimeoutMillis: this.options.connectTimeoutMs ?? 5000,
      ...CONNECTION_SETTINGS,
      application_name: 'annuaire-listen',
      types: numberTypes(this.options.driver),
    });
    // Set before connecting: an 'error' without a listener would crash the process.
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (message.channel === SESSIONS_CHANNEL) this.heardRevocation(message.payload);
      else this.heard(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}; LISTEN ${SESSIONS_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => {});
      throw storeError(err);
    }
    if (this.closing) {
      await client.end().catch(() => {});
      return;
    }
    this.listener = client;
  }

  /** A LISTEN connection that no longer answers is dropped, and reconnected (lost()). */
  private check(): void {
    const client = this.listener;
    if (!client) return;
    let timer: NodeJS.Timeout | undefined;
    const silence = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer')), HEARTBEAT_TIMEOUT_MS);
    });
    Promise.race([client.query('SELECT 1'), silence])
      .catch(() => this.lost(client))
      .finally(() => clearTimeout(timer));
  }

  private heard(payload: string | undefined): void {
    const [annuaire, seq, node] = (payload ?? '').split(':');
    if (node === this.nodeId || node === undefined) return;
    const annuaireId = Number(annuaire);
    const head = Number(seq);
    if (!Number.isSafeInteger(annuaireId) || !Number.isSafeInteger(head)) return;
    this.tell(this.others, (l) => l(annuaireId, head));
  }

  private heardRevocation(payload: string | undefined): void {
    let revoked: RevokedSessions & { node?: string };
    try {
      revoked = JSON.parse(payload ?? '') as RevokedSessions & { node?: string };
    } catch {
      return;
    }
    if (revoked.node === this.nodeId || !Number.isSafeInteger(revoked.userId)) return;
    const { node: _node, ...rest } = revoked;
    this.tell(this.revocations, (l) => l(rest));
  }

  private lost(client: pg.Client): void {
    if (this.closing || client !== this.listener) return;
    this.listener = undefined;
    client.end().catch(() => {});
    this.options.log?.({ event: 'database_listen_lost' });
    this.reconnect(RECONNECT_FIRST_MS);
  }

  private reconnect(delayMs: number): void {
    this.reconnectTimer = setTimeout(() => {
      void this.listen().then(
        () => {
          if (this.closing) return;
          this.options.log?.({ event: 'database_listen_resumed' });
          // Heads unread: start over rather than leave the missed writes untold.
          return this.resync().catch(() => this.listener && this.lost(this.listener));
        },
        () => {
          if (!this.closing) this.reconnect(Math.min(RECONNECT_MAX_MS, delayMs * 2));
        },
      );
    }, delayMs);
    this.reconnectTimer.unref();
  }

  /**
   * Announcements may have been missed while disconnected: every annuaire's head, as if
   * announced, and revocations as possibly missed.
   */
  private async resync(): Promise<void> {
    this.tell(this.revocations, (l) => l(null));
    if (this.others.length === 0) return;
    const rows = await withTransaction(this.options.pool, async (tx) => (await tx.query<{ id: number; seq: number }>('SELECT id, change_seq AS seq FROM annuaires')).rows, { readOnly: true });
    for (const { id, seq } of rows) this.tell(this.others, (l) => l(id, seq));
  }

  /** A listener that throws must not undo a committed write nor silence the others. */
  private tell<L>(listeners: L[], call: (listener: L) => void): void {
    for (const listener of listeners) {
      try {
        call(listener);
      } catch (err) {
        this.options.log?.({ event: 'change_listener_failed', error: (err as Error).message });
      }
    }
  }
}
