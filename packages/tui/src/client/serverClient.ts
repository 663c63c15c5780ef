import { EventEmitter } from 'node:events';
import { trustOnFirstUse, type PinOutcome } from '../tls/knownHosts';
import {
  CertificateError,
  connect as defaultConnect,
  ConnectionError,
  ProtocolError,
  type ActionName,
  type AnnuaireClient,
  type Language,
  type RequestArgs,
  type ResultOf,
  type ServerEvent,
  type SessionEndReason,
} from '@annuaire/protocol';

/**
 * - connecting: first attempt, or a retry the user asked for.
 * - unreachable: that attempt failed; nothing happens until retry().
 * - online: requests may be sent.
 * - reconnecting: the link dropped mid-session; we try again with backoff and resume the session.
 */
export type ConnState = 'connecting' | 'unreachable' | 'online' | 'reconnecting';

/** Thrown by request() while offline: the request was never sent, so retrying cannot double it. */
export class NotSentError extends ConnectionError {
  constructor() {
    super('not connected: request not sent');
    this.name = 'NotSentError';
  }
}

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export interface ServerClientOptions {
  host: string;
  port: number;
  lang: Language;
  backoff?: Backoff;
  connectTimeoutMs?: number;
  connect?: typeof defaultConnect;
  /**
   * Talk TLS: pinning an unknown certificate on first use in a known_hosts file, or, with `ca`
   * (a private CA's PEM), verifying the server's certificate and name against that CA only.
   */
  tls?: { knownHostsFile: string } | { ca: string | Buffer };
}

interface Events {
  /** State, user or retry delay changed. */
  change: [];
  /**
   * The session is over though we did not log out: a reconnect could not resume it, or the server
   * answered not_authenticated (password changed, logged out or account deleted in another terminal).
   * Carries the user it was.
   */
  sessionLost: [string, SessionEndReason | undefined];
  /** The server said goodbye (shutdown, idle timeout…) in the session language. */
  goodbye: [string];
  /** TLS: how the server's certificate was trusted (first use: it was just pinned). */
  trust: [PinOutcome];
  /** Every event the server sends (import progress for the transfer screen, changes for the live feed). */
  event: [ServerEvent];
  /** The session came back after the link dropped: what changed meanwhile is to be caught up (client/liveFeed.ts). */
  resumed: [];
}

/**
 * The one link from the TUI to the server: the protocol's `AnnuaireClient` (one socket) plus what
 * it takes to survive a dropped connection. It keeps the session token from login and, after a drop, reconnects with
 * exponential backoff and sends resume_session, so the user never retypes anything. A request
 * in flight when the link drops is not replayed: the caller is told it may or may not have landed.
 */
export class ServerClient extends EventEmitter<Events> {
  state: ConnState = 'connecting';
  username: string | null = null;
  /** During `reconnecting`, the delay before the next attempt. */
  retryInMs = 0;
  /** The last connection failure, for the unreachable screen. */
  lastError: string | null = null;
  /** Set when the server's certificate differs from the pinned one: we stop trying until told to. */
  certificateChanged: CertificateError | null = null;
  /** With a CA: why the server's certificate was refused (not signed by it, wrong name…); we stop trying until told to. */
  certificateRejected: string | null = null;

  private client: AnnuaireClient | null = null;
  private token: string | null = null;
  private lang: Language;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly backoff: Backoff;
  private readonly connectImpl: typeof defaultConnect;

  constructor(private readonly options: ServerClientOptions) {
    super();
    this.lang = options.lang;
    this.backoff = options.backoff ?? { initialMs: 250, maxMs: 5000 };
    this.connectImpl = options.connect ?? defaultConnect;
  }

  get address(): string {
    const { host, port } = this.options;
    return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  }

  /** First connection, or a retry after `unreachable`. Resolves once it has succeeded or failed. */
  async start(): Promise<void> {
    if (this.closed) return;
    this.setState('connecting');
    try {
      await this.open();
    } catch (err) {
      this.noteFailure(err);
      this.setState('unreachable');
    }
  }

  get secure(): boolean {
    return this.options.tls !== undefined;
  }

  private noteFailure(err: unknown): void {
    this.lastError = err instanceof Error ? err.message : String(err);
    this.certificateChanged = err instanceof CertificateError ? err : null;
    this.certificateRejected = certificateRefusal(err);
  }

  retry(): Promise<void> {
    return this.start();
  }

  async request<A extends ActionName>(action: A, ...args: RequestArgs<A>): Promise<ResultOf<A>> {
    const client = this.client;
    if (this.state !== 'online' || !client || client.isClosed) throw new NotSentError();
    try {
      return await client.request(action, ...args);
    } catch (err) {
      if (err instanceof ProtocolError && err.code === 'not_authenticated' && this.token !== null) this.endSession();
      throw err;
    }
  }

  /** The server no longer knows our session: forget it and say so, once (with why, when the server said). */
  private endSession(reason?: SessionEndReason): void {
    const who = this.username ?? '';
    this.forgetSession();
    this.emit('sessionLost', who, reason);
  }

  async login(username: string, password: string): Promise<ResultOf<'login'>> {
    const result = await this.request('login', { username, password });
    this.token = result.session_token;
    this.username = result.username;
    this.emit('change');
    return result;
  }

  /** Resolves with the server's goodbye message. The session is forgotten locally even if the request fails. */
  async logout(): Promise<string> {
    try {
      return (await this.request('logout')).message;
    } finally {
      this.forgetSession();
    }
  }

  /** Drops the session locally (after logout or delete_account). */
  forgetSession(): void {
    this.token = null;
    this.username = null;
    this.emit('change');
  }

  async setLanguage(lang: Language): Promise<void> {
    this.lang = lang;
    if (this.state === 'online') await this.request('set_language', { lang });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    await client?.close();
  }

  private async open(): Promise<void> {
    const { host, port, connectTimeoutMs, tls } = this.options;
    const client = await this.connectImpl(host, port, {
      connectTimeoutMs: connectTimeoutMs ?? 3000,
      ...(!tls ? {} : 'ca' in tls ? { tls: { ca: tls.ca } } : { tls: true, verifyPeer: trustOnFirstUse(this.address, tls.knownHostsFile, (o) => this.emit('trust', o)) }),
    });
    if (this.closed) {
      await client.close();
      return;
    }
    client.on('event', (event) => {
      this.emit('event', event);
      if (event.event === 'goodbye') this.emit('goodbye', event.message);
      if (event.event === 'session_ended' && this.token !== null && client === this.client) this.endSession(event.reason);
    });
    let resumed = false;
    try {
      await client.request('set_language', { lang: this.lang });
      if (this.token) {
        try {
          const session = await client.request('resume_session', { session_token: this.token });
          this.token = session.session_token;
          this.username = session.username;
          resumed = true;
        } catch (err) {
          if (!(err instanceof ProtocolError)) throw err;
          this.endSession();
        }
      }
    } catch (err) {
      client.removeAllListeners();
      await client.close();
      throw err;
    }
    // Listen for the drop only once the session is back, so a half-open link never looks online.
    client.once('close', () => this.onDrop(client));
    this.client = client;
    this.attempt = 0;
    this.lastError = null;
    this.certificateChanged = null;
    this.certificateRejected = null;
    this.setState('online');
    if (resumed) this.emit('resumed');
  }

  private onDrop(client: AnnuaireClient): void {
    if (this.closed || client !== this.client) return;
    this.client = null;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    const { initialMs, maxMs } = this.backoff;
    this.retryInMs = Math.min(maxMs, initialMs * 2 ** this.attempt);
    this.attempt++;
    this.setState('reconnecting');
    this.timer = setTimeout(() => {
      this.timer = null;
      this.open().catch((err: unknown) => {
        this.noteFailure(err);
        // A changed or refused certificate will not fix itself: stop and say so rather than retry forever.
        if (this.certificateChanged || this.certificateRejected) this.setState('unreachable');
        else this.scheduleReconnect();
      });
    }, this.retryInMs);
  }

  private setState(state: ConnState): void {
    this.state = state;
    this.emit('change');
  }
}

/** The TLS library's reason when it refused the server's certificate (verified against a CA), else null. */
export function certificateRefusal(err: unknown): string | null {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code && /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)|ALTNAME/.test(code)) return `${code}: ${e.message}`;
  }
  return null;
}
