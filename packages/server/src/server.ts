import { PROTOCOL_VERSION } from '@annuaire/protocol';
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

export interface RunningServer {
  host: string;
  port: number;
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
    onRevoke: (userId, keep) => {
      for (const c of connections) c.revoke(userId, keep);
    },
  });
  const state: ServerState = { config, services, log, version: SERVER_VERSION, protocolVersion: PROTOCOL_VERSION, connections };
  // Made now so the first unknown-user login costs no more than any other.
  await dummyPasswordHash();

  let nextId = 1;
  const onSocket = (socket: net.Socket) => {
    if (connections.size >= config.maxConnections) {
      socket.end(JSON.stringify({ event: 'goodbye', reason: 'too_many_connections', message: 'Trop de connexions ouvertes. / Too many open connections.' }) + '\n');
      return;
    }
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
