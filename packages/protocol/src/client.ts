import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { ACTIONS, type ActionName, type ParamsOf, type RequestArgs, type ResultOf } from './actions';
import { encodeFrame, LineDecoder, MAX_REPLY_BYTES } from './codec';
import { Response } from './envelope';
import type { ErrorBody, ErrorCode } from './errors';
import { HelloEvent, ServerEvent } from './messages/system';

/** The server answered with `ok: false`. */
export class ProtocolError extends Error {
  readonly code: ErrorCode;
  constructor(readonly body: ErrorBody) {
    super(body.message);
    this.name = 'ProtocolError';
    this.code = body.code;
  }
}

/** The connection closed (or could not open) before a reply arrived. */
export class ConnectionError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'ConnectionError';
  }
}

/** Decides, once the TLS handshake is done, whether to trust the server; throw to refuse. */
export type PeerVerifier = (peer: { fingerprint256: string; authorized: boolean; authorizationError?: Error }) => void;

/** The server's certificate was refused by a PeerVerifier (for instance, its pinned fingerprint changed). */
export class CertificateError extends Error {
  constructor(message: string, readonly fingerprint256: string) {
    super(message);
    this.name = 'CertificateError';
  }
}

export interface ConnectOptions {
  /** Use TLS. `true` uses the system trust store; an object is passed to tls.connect. */
  tls?: boolean | tls.ConnectionOptions;
  /**
   * With TLS: checks the server's certificate after the handshake, for trust-on-first-use
   * pinning. When given, an unknown CA no longer fails the handshake; the verifier decides.
   */
  verifyPeer?: PeerVerifier;
  /** Give up connecting after this long (default 5 s). */
  connectTimeoutMs?: number;
  /** Validate each result against its zod schema (default true; the benchmark turns it off). */
  validateResults?: boolean;
}

interface ClientEvents {
  event: [ServerEvent];
  close: [Error | undefined];
}

/**
 * A typed connection to an annuaire server. Requests may be pipelined: each carries
 * its own id and replies are matched by id, whatever their order.
 */
export class AnnuaireClient extends EventEmitter<ClientEvents> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; action: ActionName }>();
  private closedWith: Error | undefined;
  private closed = false;
  readonly hello: Promise<HelloEvent>;
  private resolveHello!: (h: HelloEvent) => void;

  constructor(
    private readonly socket: net.Socket,
    private readonly validateResults = true,
  ) {
    super();
    this.hello = new Promise((resolve) => (this.resolveHello = resolve));
    const decoder = new LineDecoder(MAX_REPLY_BYTES);
    socket.on('data', (chunk: Buffer) => {
      let lines: string[];
      try {
        lines = decoder.push(chunk);
      } catch (err) {
        this.fail(new ConnectionError('reply too large', err));
        return;
      }
      for (const line of lines) if (line.length > 0) this.onLine(line);
    });
    socket.on('error', (err) => this.fail(new ConnectionError(err.message, err)));
    socket.on('close', () => this.fail(undefined));
  }

  /** Sends one request and resolves with its typed result, or rejects with ProtocolError. */
  request<A extends ActionName>(action: A, ...args: RequestArgs<A>): Promise<ResultOf<A>> {
    if (this.closed) return Promise.reject(this.closedWith ?? new ConnectionError('connection closed'));
    const id = this.nextId++;
    const params = (args[0] ?? {}) as object;
    return new Promise<ResultOf<A>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, action });
      this.socket.write(encodeFrame({ ...params, id, action }));
    });
  }

  /** Writes a raw line, for tests that need to send malformed input. */
  sendRaw(line: string | Buffer): void {
    this.socket.write(line);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      // A peer that never finishes the close handshake must not hold us.
      setTimeout(() => this.socket.destroy(), 1000).unref();
    });
  }

  private onLine(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.fail(new ConnectionError('the server sent a line that is not JSON'));
      return;
    }
    if (message && typeof message === 'object' && 'event' in message) {
      const event = ServerEvent.safeParse(message);
      if (!event.success) return; // An event from a newer server: ignore what we do not know.
      if (event.data.event === 'hello') this.resolveHello(event.data);
      this.emit('event', event.data);
      return;
    }
    const parsed = Response.safeParse(message);
    if (!parsed.success) return;
    const reply = parsed.data;
    if (typeof reply.id !== 'number') return;
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (reply.ok) {
      if (!this.validateResults) return waiter.resolve(reply.result);
      const result = ACTIONS[waiter.action].result.safeParse(reply.result);
      if (result.success) waiter.resolve(result.data);
      else waiter.reject(new ConnectionError(`malformed ${waiter.action} result: ${result.error.message}`));
    } else {
      waiter.reject(new ProtocolError(reply.error));
    }
  }

  private fail(err: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.closedWith = err ?? new ConnectionError('connection closed');
    for (const waiter of this.pending.values()) waiter.reject(this.closedWith);
    this.pending.clear();
    this.socket.destroy();
    this.emit('close', err);
  }
}

/** Opens a connection and waits for the server's greeting. */
export async function connect(host: string, port: number, options: ConnectOptions = {}): Promise<AnnuaireClient> {
  const timeoutMs = options.connectTimeoutMs ?? 5000;
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const onError = (err: Error) => {
      s.destroy();
      reject(new ConnectionError(`cannot connect to ${host}:${port}: ${err.message}`, err));
    };
    const tlsOptions: tls.ConnectionOptions = {
      host,
      port,
      servername: net.isIP(host) ? undefined : host,
      ...(typeof options.tls === 'object' ? options.tls : {}),
      ...(options.verifyPeer ? { rejectUnauthorized: false } : {}),
    };
    const s: net.Socket = options.tls
      ? tls.connect(tlsOptions, () => {
          const secure = s as tls.TLSSocket;
          try {
            options.verifyPeer?.({
              fingerprint256: secure.getPeerCertificate().fingerprint256,
              authorized: secure.authorized,
              ...(secure.authorizationError ? { authorizationError: new Error(String(secure.authorizationError)) } : {}),
            });
          } catch (err) {
            s.destroy();
            reject(err);
            return;
          }
          resolve(s);
        })
      : net.connect({ host, port }, () => resolve(s));
    s.once('error', onError);
    s.setTimeout(timeoutMs, () => onError(new Error('timed out')));
    s.once(options.tls ? 'secureConnect' : 'connect', () => {
      s.off('error', onError);
      s.setTimeout(0);
    });
  });
  socket.setNoDelay(true);
  const client = new AnnuaireClient(socket, options.validateResults ?? true);
  await Promise.race([
    client.hello,
    new Promise((_, reject) => client.once('close', (err) => reject(err ?? new ConnectionError('closed before greeting')))),
    new Promise((_, reject) => setTimeout(() => reject(new ConnectionError(`no greeting from ${host}:${port}`)), timeoutMs).unref()),
  ]);
  return client;
}

/** Every contact of the session's annuaire, following `list_contacts` cursors page by page. */
export async function listAllContacts(
  client: AnnuaireClient,
  sort: ParamsOf<'list_contacts'>['sort'] = 'nom',
): Promise<ResultOf<'list_contacts'>['contacts']> {
  const all: ResultOf<'list_contacts'>['contacts'] = [];
  let cursor: string | undefined;
  do {
    const page = await client.request('list_contacts', { sort, limit: 500, ...(cursor ? { cursor } : {}) });
    all.push(...page.contacts);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return all;
}
