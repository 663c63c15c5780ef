import { encodeFrame, PROTOCOL_VERSION } from '@annuaire/protocol';
import { message } from './i18n';
import net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import tls from 'node:tls';
import { defaultConfig, type ServerConfig } from './config';
import { silentLog, type LogFn } from './log';
import { createServices, createServicesOn, type ServiceOptions, type Services } from './services';
import { openDatabase } from './store/db';
import { checkInBackground, DatabaseDamaged } from './store/integrity';
import { createPostgresBackend } from './store/postgres/backend';
import { Connection } from './transport/connection';
import { MemoryBudget } from './transport/budget';
import { FairScheduler } from './transport/scheduler';
import type { ServerState } from './transport/state';
import { dummyPasswordHash } from './auth/passwords';

export const SERVER_VERSION = '0.1.0';

/**
 * TLS 1.3's suites, and on TLS 1.2 only ECDHE key exchange (forward secrecy) with an AEAD
 * cipher: no RSA key exchange, no CBC, no SHA-1 MAC.
 */
export const TLS_CIPHERS = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/**
 * Counts open TCP connections, in all and per source address, each until it closes.
 * Returns whether a new one fits under maxConnections and maxConnectionsPerAddress.
 */
function connectionCounter(config: ServerConfig, onRefused: (address: string) => void): (socket: net.Socket) => boolean {
  let open = 0;
  const perAddress = new Map<string, number>();
  return (socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const fromAddress = perAddress.get(address) ?? 0;
    if (open >= config.maxConnections || fromAddress >= config.maxConnectionsPerAddress) {
      onRefused(address);
      return false;
    }
    open++;
    perAddress.set(address, fromAddress + 1);
    socket.once('close', () => {
      open--;
      const n = (perAddress.get(address) ?? 1) - 1;
      if (n <= 0) perAddress.delete(address);
      else perAddress.set(address, n);
    });
    return true;
  };
}

/** Over a connection limit: say so (in both languages: no session exists yet), then close. */
function refuse(socket: net.Socket): void {
  socket.on('error', () => {});
  const goodbye = { event: 'goodbye', reason: 'too_many_connections', message: `${message('fr', 'too_many_connections')} / ${message('en', 'too_many_connections')}` };
  socket.end(encodeFrame(goodbye));
  setTimeout(() => socket.destroy(), 1000).unref();
}

export interface RunningServer {
  host: string;
  port: number;
  /** How many clients are connected now (the TUI's embedded server waits for them before stopping). */
  clientCount(): number;
  /** Stops accepting, finishes in-flight requests, says goodbye, closes the database. */
  close(): Promise<void>;
}

export type StartOptions = Partial<ServerConfig> & {
  log?: LogFn;
  /** The background check found the database damaged: the server is closing itself. */
  onDamaged?: (err: DatabaseDamaged) => void;
};

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const { log = silentLog, onDamaged = () => {}, ...overrides } = options;
  const config = defaultConfig(overrides);
  const connections = new Set<Connection>();
  // The config carries every policy the services take (sessions, throttle, quota, phone region, reserve…).
  /** Every logged-in connection's session checked: ended elsewhere or expired, it is told so. */
  const sweepSessions = () => {
    for (const c of connections) {
      c.checkSession().catch((err: Error) => log({ level: 'error', msg: 'session check failed', error: err.message }));
    }
  };
  const serviceOptions: ServiceOptions = {
    ...config,
    onRevoke: (revocation) => {
      for (const c of connections) c.revoke(revocation);
    },
    onRevocationsMissed: sweepSessions,
    onAnnounceError: (err) => log({ level: 'error', msg: 'revocation not announced to the other nodes', error: err.message }),
    onPurgeError: (err) => log({ level: 'error', msg: 'purge after a deletion failed', error: err.message }),
    onPollError: (err) => log({ level: 'error', msg: 'journal poll failed', error: err.message }),
  };
  const storage = config.databaseUrl ? await openPostgres(config.databaseUrl, serviceOptions, log) : await openSqlite(config, serviceOptions);
  const { services } = storage;
  const budget = new MemoryBudget(config.maxInputBytesTotal, config.maxOutputBytesTotal);
  const scheduler = new FairScheduler();
  const state: ServerState = { config, services, log, version: SERVER_VERSION, protocolVersion: PROTOCOL_VERSION, connections, budget, scheduler };
  // Made now so the first unknown-user login costs no more than any other.
  await dummyPasswordHash();

  let nextId = 1;
  const serve = (socket: net.Socket) => {
    connections.add(new Connection(socket, state, nextId++));
  };
  // Every TCP connection counts against the limits from its first byte, TLS handshake or not.
  const admit = connectionCounter(config, (address) =>
    log({ level: 'warn', msg: 'connection refused', reason: 'too_many_connections', remote: address }),
  );
  let server: net.Server;
  if (config.tls) {
    server = tls.createServer(
      {
        cert: config.tls.cert,
        key: config.tls.key,
        minVersion: 'TLSv1.2',
        ciphers: TLS_CIPHERS,
        // From the connection's first byte; the tlsClientError listener below closes it.
        handshakeTimeout: config.tlsHandshakeTimeoutMs,
      },
      serve,
    );
    // Raw connections, before their handshake: over a limit, closed at once (no TLS, no goodbye).
    server.on('connection', (raw: net.Socket) => {
      if (!admit(raw)) raw.destroy();
    });
    // A failed or timed-out handshake. With a listener here, Node leaves the socket of a
    // timed-out handshake open (a silent client held its connection for hours): close it.
    server.on('tlsClientError', (_err: Error, socket: tls.TLSSocket) => socket.destroy());
  } else {
    server = net.createServer((socket) => {
      if (admit(socket)) serve(socket);
      else refuse(socket);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const address = server.address() as net.AddressInfo;
  log({ msg: 'listening', host: address.address, port: address.port, tls: Boolean(config.tls), ...storage.describe });

  let closing: Promise<void> | undefined;
  // Off the request path: the journal's trim runs in short steps, and sessions that expired or
  // ended in another server process sharing the database are told to their connections.
  let trimming: Promise<number> | undefined;
  const trimTimer = setInterval(() => {
    trimming ??= services.changes
      .trim(() => closing !== undefined)
      .catch((err: Error) => {
        log({ level: 'error', msg: 'journal trim failed', error: err.message });
        return 0;
      })
      .finally(() => (trimming = undefined));
  }, config.journal.trimEveryMs);
  trimTimer.unref();
  const pollTimer = setInterval(() => {
    services.changes.poll().catch((err: Error) => log({ level: 'error', msg: 'journal poll failed', error: err.message }));
  }, config.journal.pollOthersMs);
  pollTimer.unref();
  const sweepTimer = setInterval(sweepSessions, config.sessionSweepMs);
  sweepTimer.unref();
  const background = storage.checkInBackground?.();
  void background?.done.then((err) => {
    if (!err || closing) return;
    log({ level: 'error', msg: 'database damaged', problems: err.problems });
    onDamaged(err);
    void running.close();
  });
  const running: RunningServer = {
    host: address.address,
    port: address.port,
    clientCount: () => connections.size,
    close() {
      closing ??= (async () => {
        background?.cancel();
        clearInterval(trimTimer);
        clearInterval(sweepTimer);
        clearInterval(pollTimer);
        await trimming;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([...connections].map((c) => c.shutdown()));
        await stopped;
        await services.purge.stop();
        await storage.close();
        loopDelay.disable();
        // How long the event loop was ever held: every other client waited as long.
        log({ msg: 'stopped', eventLoopDelayMs: { p99: Math.round(loopDelay.percentile(99) / 1e6), max: Math.round(loopDelay.max / 1e6) } });
      })();
      return closing;
    },
  };
  return running;
}

/** The services on their storage, what the start-up log says of it, and how to close it. */
interface Storage {
  services: Services;
  describe: Record<string, unknown>;
  /** A check of the database still running after the server listens; resolves with the damage found. */
  checkInBackground?: () => { cancel(): void; done: Promise<DatabaseDamaged | null> };
  close(): Promise<void>;
}

/** The embedded default: SQLite in the data directory, checked before (or while) serving. */
async function openSqlite(config: ServerConfig, options: ServiceOptions): Promise<Storage> {
  const { db, file, checkedInFull } = openDatabase(config.dataDir, { inlineCheckMaxBytes: config.integrityCheckInlineMaxBytes });
  return {
    services: await createServices(db, options),
    describe: { dataDir: config.dataDir },
    // Too large to check whole before listening: checked meanwhile, and the server stops if damaged.
    checkInBackground: checkedInFull
      ? undefined
      : () => {
          const check = checkInBackground(file);
          return { cancel: check.cancel, done: check.done.then((problems) => (problems.length > 0 ? new DatabaseDamaged(file, problems) : null)) };
        },
    close: async () => void db.close(),
  };
}

/** PostgreSQL at a URL, shared with every other node given it (migrated by the first to start). */
async function openPostgres(url: string, options: ServiceOptions, log: LogFn): Promise<Storage> {
  const backend = await createPostgresBackend(url, { log });
  const target = new URL(url);
  return {
    services: await createServicesOn(backend, options),
    // Never the password of the URL.
    describe: { database: `postgres://${target.host}${target.pathname}` },
    close: () => backend.close(),
  };
}
