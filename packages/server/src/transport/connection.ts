import {
  encodeFrame,
  FrameTooLargeError,
  LineDecoder,
  RequestId,
  type Language,
  type ServerEvent,
  GoodbyeEvent,
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
import { TokenBucket } from '../auth/rate-limit';

type GoodbyeReason = z.infer<typeof GoodbyeEvent>['reason'];

/**
 * One client connection: the seed's handle_client. It frames lines, keeps the
 * session and language, runs requests one after another (so pipelined requests
 * are answered in order) and writes each reply with the request's id.
 */
export class Connection implements RequestContext {
  session: AuthSession | null = null;
  lang: Language = 'fr';
  readonly remoteAddress: string;
  private readonly decoder: LineDecoder;
  private readonly queue: string[] = [];
  private busy = false;
  private closing = false;
  private idleDrain: (() => void) | null = null;
  private lastData = 0;
  private readonly rate: TokenBucket;
  private frameTimer: NodeJS.Timeout | null = null;
  private stallTimer: NodeJS.Timeout | null = null;

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
      if (!this.closing) socket.resume();
      // The replies went out: answer what waited for them (see drainQueue).
      this.drainQueue();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.closing = true;
      this.queue.length = 0;
      state.connections.delete(this);
      if (this.frameTimer) clearTimeout(this.frameTimer);
      if (this.stallTimer) clearTimeout(this.stallTimer);
      this.idleDrain?.();
    });
    this.send({ event: 'hello', server: 'annuaire', version: state.version, protocol: state.protocolVersion, lang: this.lang });
  }

  setSession(session: AuthSession | null): void {
    this.session = session;
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

  /** Forgets the session if it belongs to `userId` (and is not `keep`): it was revoked elsewhere. */
  revoke(userId: number, keep: number | null): void {
    if (this.session?.userId === userId && this.session.sessionId !== keep) this.session = null;
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
    for (const line of lines) if (line.trim().length > 0) this.queue.push(line);
    this.watchUnfinishedFrame();
    this.drainQueue();
  }

  /** A line begun must be finished in time: trickling one byte at a time does not hold a connection. */
  private watchUnfinishedFrame(): void {
    if (this.decoder.bufferedBytes === 0) {
      if (this.frameTimer) clearTimeout(this.frameTimer);
      if (this.stallTimer) clearTimeout(this.stallTimer);
      this.frameTimer = null;
    } else if (!this.frameTimer) {
      this.frameTimer = setTimeout(() => this.goodbye('frame_timeout'), this.state.config.frameTimeoutMs);
      this.frameTimer.unref();
    }
  }

  /** Runs queued lines in order; synchronous handlers reply without waiting for a tick. */
  private drainQueue(): void {
    // Not while replies are backed up: a client that pipelines many requests with large
    // replies (list_contacts, 500 at a time) would otherwise pile up past maxOutputBytes
    // within milliseconds and be dropped as too_slow while reading as fast as it can.
    // The 'drain' handler resumes; a client that truly stops reading meets the stall timer.
    while (!this.busy && !this.closing && this.queue.length > 0 && !this.socket.writableNeedDrain) {
      const pending = this.handleLine(this.queue.shift()!);
      if (pending) {
        this.busy = true;
        pending.finally(() => {
          this.busy = false;
          this.drainQueue();
        });
      }
    }
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

  private reject(id: RequestId | null, code: 'bad_request', action: unknown): undefined {
    this.send(errorReply(id, new AppError(code), this.lang));
    this.state.log({ msg: 'request', conn: this.id, action: typeof action === 'string' ? action.slice(0, 64) : null, ok: false, code });
    return undefined;
  }

  private reply(id: RequestId, action: unknown, started: number, err: unknown, result: unknown): void {
    const ms = Math.round((performance.now() - started) * 1000) / 1000;
    const name = typeof action === 'string' ? action.slice(0, 64) : null;
    if (err === undefined) {
      this.send({ id, ok: true, result });
      if (this.state.config.logRequests) this.state.log({ msg: 'request', conn: this.id, action: name, ok: true, ms });
      return;
    }
    const reply = errorReply(id, err, this.lang);
    this.send(reply);
    if (reply.error.code === 'internal_error') {
      this.state.log({ level: 'error', msg: 'handler failed', conn: this.id, action: name, error: String((err as Error)?.stack ?? err) });
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
    if (this.socket.destroyed) return;
    // What was still unsent before this reply: one large reply (an export) is not a slow client.
    const waiting = this.socket.writableLength;
    const flushed = this.socket.write(encodeFrame(message));
    if (!flushed) {
      // The client is not reading: stop reading its requests until it catches up,
      // and drop it if it lets too much pile up or stays stuck too long.
      this.socket.pause();
      if (waiting > this.state.config.maxOutputBytes) this.goodbye('too_slow', true);
      else if (!this.stallTimer) {
        this.stallTimer = setTimeout(() => this.goodbye('too_slow', true), this.state.config.writeStallTimeoutMs);
        this.stallTimer.unref();
      }
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
