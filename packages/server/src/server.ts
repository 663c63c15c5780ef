import { encodeFrame, PROTOCOL_VERSION } from '@annuaire/protocol';
import { message } from './i18n';
import net from 'node:net';
import tls from 'node:tls';
import type { CountryCode } from 'libphonenumber-js';
import { defaultConfig, type ServerConfig } from './config';
import { silentLog, type LogFn } from './log';
import { createServices } from './services';
import { openDatabase } from './store/db';
import { setDefaultRegion } from './text/phone';
import { Connection } from './transport/connection';
import type { ServerState } from './transport/state';
import { dummyPasswordHash } from './auth/passwords';

export const SERVER_VERSION = '0.1.0';

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

export type StartOptions = Partial<ServerConfig> & { log?: LogFn };

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const { log = silentLog, ...overrides } = options;
  const config = defaultConfig(overrides);
  setDefaultRegion(config.phoneRegion as CountryCode);
  const db = openDatabase(config.dataDir);
  const connections = new Set<Connection>();
  const services = createServices(db, {
    sessions: config.sessions,
    throttle: config.throttle,
    accountCreation: config.accountCreation,
    quota: config.quota,
    onRevoke: (userId, keep) => {
      for (const c of connections) c.revoke(userId, keep);
    },
  });
  const state: ServerState = { config, services, log, version: SERVER_VERSION, protocolVersion: PROTOCOL_VERSION, connections };
  // Made now so the first unknown-user login costs no more than any other.
  await dummyPasswordHash();

  let nextId = 1;
  const perAddress = new Map<string, number>();
  const onSocket = (socket: net.Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const fromAddress = perAddress.get(address) ?? 0;
    if (connections.size >= config.maxConnections || fromAddress >= config.maxConnectionsPerAddress) {
      refuse(socket);
      log({ level: 'warn', msg: 'connection refused', reason: 'too_many_connections', remote: address });
      return;
    }
    perAddress.set(address, fromAddress + 1);
    socket.once('close', () => {
      const n = (perAddress.get(address) ?? 1) - 1;
      if (n <= 0) perAddress.delete(address);
      else perAddress.set(address, n);
    });
    connections.add(new Connection(socket, state, nextId++));
  };
  const server = config.tls
    ? tls.createServer({ cert: config.tls.cert, key: config.tls.key, minVersion: 'TLSv1.2' }, onSocket)
    : net.createServer(onSocket);
  server.on('tlsClientError', () => {});

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;
  log({ msg: 'listening', host: address.address, port: address.port, tls: Boolean(config.tls), dataDir: config.dataDir });

  let closing: Promise<void> | undefined;
  return {
    host: address.address,
    port: address.port,
    clientCount: () => connections.size,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([...connections].map((c) => c.shutdown()));
        await stopped;
        db.close();
        log({ msg: 'stopped' });
      })();
      return closing;
    },
  };
}
