import {
  encodeFrame,
  FrameTooLargeError,
  LineDecoder,
  RequestId,
  type Language,
  type ServerEvent,
  GoodbyeEvent,
  type SessionEndReason,
} from '@annuaire/protocol';
import type net from 'node:net';
import type { z } from 'zod';
import { dispatch } from '../dispatch';
import { AppError } from '../errors';
import type { RequestContext } from '../handlers/context';
import { message, type MessageKey } from '../i18n';
import type { AuthSession } from '../services/session';
import type { ServerState } from './state';
import { errorReply } from './respond';
import { TokenBucket } from './rate-limit';
import type { BudgetMember } from './budget';
import type { Schedulable } from './scheduler';
import type { ChangeListener } from '../services/changes';
import type { Revocation } from '../services/accounts';

type GoodbyeReason = z.infer<typeof GoodbyeEvent>['reason'];

/** The longest a request may hold the event loop (README, "Limits"). */
export const SLOW_REQUEST_MS = 50;

/**
 * One client connection: the seed's handle_client. It frames lines, keeps the
 * session and language, runs requests one after another (so pipelined requests
 * are answered in order) and writes each reply with the request's id.
 *
 * What it holds is bounded: reading stops while its queue of requests is full, while
 * its replies are not being read, or while the server's budget for unfinished lines
 * is spent (transport/budget.ts), and resumes when that is no longer so. Its requests run
 * when the server's scheduler gives its account a turn (transport/scheduler.ts).
 */
export class Connection implements RequestContext, BudgetMember, Schedulable, ChangeListener {
  session: AuthSession | null = null;
  lang: Language = 'fr';
  readonly remoteAddress: string;
  private readonly decoder: LineDecoder;
  private readonly queue: string[] = [];
  private queuedBytes = 0;
  /** Why reading is stopped; the socket reads only while this is empty. */
  private readonly readHolds = new Set<'queue' | 'output' | 'budget'>();
  private busy = false;
  private closing = false;
  private idleDrain: (() => void) | null = null;
  private lastData = 0;
  private readonly rate: TokenBucket;
  private frameTimer: NodeJS.Timeout | null = null;
  private stallTimer: NodeJS.Timeout | null = null;
  private corked = false;
  /** Events left unsent since the client fell behind (the last one's seq), or null. */
  private eventsDroppedAfter: number | null = null;

  constructor(
    private readonly socket: net.Socket,
    private readonly state: ServerState,
    readonly id: number,
  ) {
    this.remoteAddress = socket.remoteAddress ?? 'unknown';
    this.decoder = new LineDecoder(state.config.maxFrameBytes);
    this.rate = new TokenBucket(state.config.requestRate.perSecond, state.config.requestRate.burst);
    socket.setNoDelay(true);
    socket.setTimeout(state.config.idleTimeoutMs, () => this.goodbye('idle_timeout'));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      if (this.stallTimer) clearTimeout(this.stallTimer);
      this.stallTimer = null;
      state.budget.noteOutput(this);
      this.holdReading('output', false);
      this.catchUpEvents();
      // The replies went out: answer what waited for them (see drainQueue).
      this.drainQueue();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.closing = true;
      this.queue.length = 0;
      this.queuedBytes = 0;
      state.connections.delete(this);
      if (this.session) state.services.changes.unsubscribe(this.session.annuaireId, this);
      state.budget.leave(this);
      if (this.frameTimer) clearTimeout(this.frameTimer);
      if (this.stallTimer) clearTimeout(this.stallTimer);
      this.idleDrain?.();
    });
    this.send({ event: 'hello', server: 'annuaire', version: state.version, protocol: state.protocolVersion, lang: this.lang });
  }

  /** Whose share of the event loop this connection's requests use: its account, or its address before login. */
  get shareKey(): string {
    return this.session ? `u:${this.session.userId}` : `a:${this.remoteAddress}`;
  }

  /**
   * Not while replies are backed up: a client that pipelines many requests with large
   * replies (list_contacts, 500 at a time) would otherwise pile up past maxOutputBytes
   * within milliseconds and be dropped as too_slow while reading as fast as it can.
   * The 'drain' handler wakes it again; a client that truly stops reading meets the stall timer.
   */
  get runnable(): boolean {
    return !this.busy && !this.closing && this.queue.length > 0 && !this.socket.writableNeedDrain;
  }

  /** Runs the next queued request; resolves once it replied (a synchronous handler replies at once). */
  runOne(): Promise<void> | undefined {
    // Replies to the requests run in one slice go out in one write, as a pipelining client expects.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      // After the slice: its requests' replies come in microtasks once their storage answered.
      setImmediate(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    const line = this.queue.shift()!;
    this.queuedBytes -= line.length;
    let pending: Promise<void> | undefined;
    try {
      pending = this.handleLine(line);
    } catch (err) {
      // A bug, not the client's doing: it costs this connection, never the process.
      this.state.log({ level: 'error', msg: 'request crashed', conn: this.id, error: String((err as Error)?.stack ?? err) });
      this.goodbye('shutdown', true);
      return undefined;
    }
    if (pending) {
      this.busy = true;
      pending = pending.finally(() => {
        this.busy = false;
        this.drainQueue();
      });
    }
    this.drainQueue();
    return pending;
  }

  get inputBytes(): number {
    return this.decoder.bufferedBytes;
  }

  get outputBytes(): number {
    return this.socket.destroyed ? 0 : this.socket.writableLength;
  }

  holdInput(held: boolean): void {
    this.holdReading('budget', held);
  }

  dropForOutput(): void {
    this.goodbye('too_slow', true);
  }

  setSession(session: AuthSession | null): void {
    const changes = this.state.services.changes;
    if (this.session) changes.unsubscribe(this.session.annuaireId, this);
    this.session = session;
    this.eventsDroppedAfter = null;
    if (session && !this.closing) changes.subscribe(session.annuaireId, this);
  }

  /**
   * A change to the annuaire. Not written into a backed-up socket: past maxEventBacklogBytes
   * unread, events are dropped and the client is told once with resync_required when it has
   * read the rest, so a slow reader costs the server no memory beyond that bound.
   */
  pushChanges(frame: string, seq: number): void {
    if (this.closing || this.socket.destroyed) return;
    if (this.eventsDroppedAfter === null && this.socket.writableLength + frame.length <= this.state.config.maxEventBacklogBytes) {
      if (!this.socket.write(frame)) this.state.budget.noteOutput(this);
      return;
    }
    this.eventsDroppedAfter = seq;
    // A socket that is not backed up will not 'drain': tell the client now.
    if (!this.socket.writableNeedDrain) this.catchUpEvents();
  }

  notify(event: ServerEvent): void {
    this.send(event);
  }

  setLang(lang: Language): void {
    this.lang = lang;
  }

  /**
   * Lets requests already sent finish (including those still in flight on the network:
   * it waits for a short quiet spell, at most `maxWaitMs`), then says goodbye and closes.
   */
  async shutdown(quietMs = 100, maxWaitMs = 5000): Promise<void> {
    const begun = Date.now();
    const deadline = begun + maxWaitMs;
    while (!this.closing && Date.now() < deadline) {
      // Bounded: requests held back by a client that does not read its replies must not hold the shutdown.
      await Promise.race([this.whenIdle(), new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref())]);
      // Quiet since the shutdown began too, not only since the last data: a connection idle
      // for long may have a request on the wire right now (sent just before the signal).
      if (Date.now() - Math.max(this.lastData, begun) >= quietMs) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.goodbye('shutdown');
  }

  /** Forgets the session if the revocation covers it, and says why, unless this connection asked for it. */
  revoke(r: Revocation): void {
    const s = this.session;
    if (!s || s.userId !== r.userId) return;
    if (r.sessionId !== undefined ? s.sessionId !== r.sessionId : s.sessionId === r.keepSessionId) return;
    this.endSession(r.origin === this ? null : r.reason);
  }

  /** The periodic sweep: a session that expired, or ended in another process, is told as such. */
  async checkSession(): Promise<void> {
    const session = this.session;
    if (!session || this.closing || this.busy) return;
    const reason = await this.state.services.accounts.endReason(session);
    // Still the same session once the answer is in (a request may have logged out meanwhile).
    if (reason && this.session === session) this.endSession(reason);
  }

  private endSession(reason: SessionEndReason | null): void {
    this.setSession(null);
    if (reason) this.send({ event: 'session_ended', reason, message: message(this.lang, `session_${reason}`) });
  }

  /** After a backlog drained: one resync_required for every event dropped meanwhile. */
  private catchUpEvents(): void {
    if (this.eventsDroppedAfter === null || !this.session || this.closing) return;
    const seq = this.eventsDroppedAfter;
    this.eventsDroppedAfter = null;
    this.socket.write(encodeFrame({ event: 'resync_required', seq }));
  }

  private onData(chunk: Buffer): void {
    if (this.closing) return;
    this.lastData = Date.now();
    let lines: string[];
    try {
      lines = this.decoder.push(chunk);
    } catch (err) {
      if (!(err instanceof FrameTooLargeError)) throw err;
      this.send(errorReply(null, new AppError('frame_too_large'), this.lang));
      this.goodbye('frame_too_large');
      return;
    }
    for (const line of lines) {
      if (line.trim().length === 0) continue;
      this.queue.push(line);
      this.queuedBytes += line.length;
    }
    this.state.budget.noteInput(this);
    this.watchUnfinishedFrame();
    this.drainQueue();
  }

  /**
   * Stops reading the socket for `reason`, or lifts that reason; reading resumes once none
   * is left. Unread bytes then wait in the client's and the kernel's buffers, not here.
   */
  private holdReading(reason: 'queue' | 'output' | 'budget', held: boolean): void {
    if (held) this.readHolds.add(reason);
    else this.readHolds.delete(reason);
    if (this.closing) return;
    if (this.readHolds.size > 0) this.socket.pause();
    else this.socket.resume();
  }

  /** A line begun must be finished in time: trickling one byte at a time does not hold a connection. */
  private watchUnfinishedFrame(): void {
    if (this.decoder.bufferedBytes === 0) {
      if (this.frameTimer) clearTimeout(this.frameTimer);
      this.frameTimer = null;
    } else if (!this.frameTimer) {
      this.frameTimer = setTimeout(() => this.goodbye('frame_timeout'), this.state.config.frameTimeoutMs);
      this.frameTimer.unref();
    }
  }

  /** After any change of state: asks for a turn if a request can run, bounds the queue, tells a waiting shutdown. */
  private drainQueue(): void {
    this.state.scheduler.wake(this);
    // A client pipelining behind a slow request (a login waiting for argon2) is not read
    // further while its queue is full: the queue, not the heap, absorbs the flood.
    const { maxQueuedRequests, maxFrameBytes } = this.state.config;
    this.holdReading('queue', this.queue.length >= maxQueuedRequests || this.queuedBytes > maxFrameBytes);
    if (!this.busy && this.queue.length === 0) this.idleDrain?.();
  }

  private handleLine(line: string): Promise<void> | undefined {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return this.reject(null, 'bad_request', undefined);
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return this.reject(null, 'bad_request', undefined);
    }
    const { id: rawId, action, ...params } = message as Record<string, unknown>;
    const id = RequestId.safeParse(rawId);
    if (!id.success) return this.reject(null, 'bad_request', action);
    const started = performance.now();
    let result: unknown;
    try {
      const wait = this.rate.take();
      if (wait > 0) throw new AppError('rate_limited', { retryAfterMs: wait });
      result = dispatch(this, action, params, this.state.services);
    } catch (err) {
      this.reply(id.data, action, started, err, undefined);
      return undefined;
    } finally {
      this.noteBlocking(action, started);
    }
    if (result instanceof Promise) {
      return result.then(
        (value) => this.reply(id.data, action, started, undefined, value),
        (err) => this.reply(id.data, action, started, err, undefined),
      );
    }
    this.reply(id.data, action, started, undefined, result);
    return undefined;
  }

  /**
   * A request's synchronous part holds the event loop for every connection: one that
   * holds it past the bound the README states is a defect, logged even when quiet.
   */
  private noteBlocking(action: unknown, started: number): void {
    const ms = performance.now() - started;
    if (ms > SLOW_REQUEST_MS) {
      this.state.log({ level: 'warn', msg: 'slow request', conn: this.id, action: typeof action === 'string' ? action.slice(0, 64) : null, ms: Math.round(ms) });
    }
  }

  private reject(id: RequestId | null, code: 'bad_request', action: unknown): undefined {
    this.send(errorReply(id, new AppError(code), this.lang));
    this.state.log({ msg: 'request', conn: this.id, action: typeof action === 'string' ? action.slice(0, 64) : null, ok: false, code });
    return undefined;
  }

  private reply(id: RequestId, action: unknown, started: number, err: unknown, result: unknown): void {
    const ms = Math.round((performance.now() - started) * 1000) / 1000;
    const name = typeof action === 'string' ? action.slice(0, 64) : null;
    if (err === undefined) {
      // Encoded here, inside the request's error handling: a reply that cannot be encoded
      // (over V8's string limit) or is larger than a client accepts becomes an error reply.
      let frame: string | undefined;
      try {
        frame = encodeFrame({ id, ok: true, result });
      } catch (encodeErr) {
        if (!(encodeErr instanceof RangeError)) throw encodeErr;
      }
      // A UTF-8 byte is at most 3 per UTF-16 unit: most replies need no byte count at all.
      const max = this.state.config.maxReplyBytes;
      if (frame !== undefined && (frame.length * 3 <= max || Buffer.byteLength(frame) <= max)) {
        this.write(frame);
        if (this.state.config.logRequests) this.state.log({ msg: 'request', conn: this.id, action: name, ok: true, ms });
        return;
      }
      err = new AppError('reply_too_large');
    }
    const reply = errorReply(id, err, this.lang);
    this.send(reply);
    if (reply.error.code === 'internal_error') {
      this.state.log({ level: 'error', msg: 'handler failed', conn: this.id, action: name, error: String((err as Error)?.stack ?? err) });
    } else if (reply.error.code === 'unavailable') {
      this.state.log({ level: 'warn', msg: 'database unavailable', conn: this.id, action: name, error: (err as Error).message });
    }
    if (this.state.config.logRequests || name === 'login') {
      this.state.log({
        msg: 'request',
        conn: this.id,
        action: name,
        ok: false,
        code: reply.error.code,
        ms,
        // Failed logins are worth an address in the log (never the password).
        ...(name === 'login' ? { remote: this.remoteAddress } : {}),
      });
    }
  }

  private send(message: object): void {
    this.write(encodeFrame(message));
  }

  private write(frame: string): void {
    if (this.socket.destroyed) return;
    // What was still unsent before this reply: one large reply (an export) is not a slow client.
    const waiting = this.socket.writableLength;
    const flushed = this.socket.write(frame);
    if (!flushed) {
      // The client is not reading: stop reading its requests until it catches up,
      // and drop it if it lets too much pile up or stays stuck too long.
      this.holdReading('output', true);
      if (waiting > this.state.config.maxOutputBytes) this.goodbye('too_slow', true);
      else if (!this.stallTimer) {
        this.stallTimer = setTimeout(() => this.goodbye('too_slow', true), this.state.config.writeStallTimeoutMs);
        this.stallTimer.unref();
      }
      if (!this.closing) this.state.budget.noteOutput(this);
    }
  }

  private goodbye(reason: GoodbyeReason, hard = false): void {
    if (this.closing) return;
    this.closing = true;
    this.queue.length = 0;
    if (reason !== 'shutdown') this.state.log({ level: 'warn', msg: 'connection dropped', conn: this.id, reason, remote: this.remoteAddress });
    const key: MessageKey = reason;
    if (!hard) this.send({ event: 'goodbye', reason, message: message(this.lang, key) });
    if (hard) this.socket.destroy();
    else {
      this.socket.end();
      // A client that never reads must not keep the socket half-open.
      setTimeout(() => this.socket.destroy(), 2000).unref();
    }
  }

  private whenIdle(): Promise<void> {
    if (!this.busy && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.idleDrain = () => {
        this.idleDrain = null;
        resolve();
      };
    });
  }
}
