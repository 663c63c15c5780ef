import { connect, type AnnuaireClient, ProtocolError } from '@annuaire/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectTcp, LineConnection } from '@annuaire/test-utils';
import { startServer, type RunningServer, type StartOptions } from '../src';
import pg from 'pg';
import { DB_FILE } from '../src/store/db';
import { Sqlite } from '../src/store/sqlite';
import { createTestDatabase } from './pg';

/** A real server on an ephemeral port over a fresh temporary data directory. */
export interface TestServer {
  server: RunningServer;
  dataDir: string;
  /** The PostgreSQL database it runs on (the postgres project), else undefined: SQLite in dataDir. */
  databaseUrl: string | undefined;
  port: number;
  client(): Promise<AnnuaireClient>;
  /** A client already logged in as a new user (username from `name`, password "motdepasse-test"). */
  user(name?: string): Promise<{ client: AnnuaireClient; username: string; password: string; token: string }>;
  /** A raw socket, for bytes no well-behaved client would send. */
  raw(): Promise<RawConnection>;
  restart(options?: StartOptions): Promise<void>;
  close(): Promise<void>;
}

let userCounter = 0;

/**
 * The backend the server tests run on: SQLite by default; ANNUAIRE_TEST_BACKEND=postgres runs
 * the same tests on PostgreSQL (vitest.config.ts's "postgres" project: the contract suite).
 */
export const TEST_BACKEND: 'sqlite' | 'postgres' = process.env.ANNUAIRE_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';
export const onPostgres = TEST_BACKEND === 'postgres';

export async function startTestServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'annuaire-test-'));
  // On the postgres project, each test server gets a database of its own (dropped at close).
  const database = onPostgres && options.databaseUrl === undefined ? await createTestDatabase() : undefined;
  if (database) options = { ...options, databaseUrl: database.url };
  const clients: AnnuaireClient[] = [];
  const raws: RawConnection[] = [];
  // Every test runs from 127.0.0.1: lift the per-address creation limit unless a test sets it.
  // A small disk reserve: every test server writes one.
  options = { accountCreation: { perAddress: 100_000, windowMs: 3600_000 }, diskReserveBytes: 64 * 1024, ...options };
  let server = await startServer({ port: 0, ...options, dataDir });
  const t: TestServer = {
    server,
    dataDir,
    databaseUrl: options.databaseUrl,
    get port() {
      return server.port;
    },
    async client() {
      const c = await connect('127.0.0.1', server.port);
      clients.push(c);
      return c;
    },
    async user(name = `user${++userCounter}`) {
      const client = await t.client();
      const password = 'motdepasse-test';
      await client.request('create_account', { username: name, password });
      const { session_token } = await client.request('login', { username: name, password });
      return { client, username: name, password, token: session_token };
    },
    async raw() {
      const r = await RawConnection.open(server.port);
      raws.push(r);
      return r;
    },
    async restart(more: StartOptions = {}) {
      await server.close();
      server = await startServer({ port: 0, ...options, ...more, dataDir });
      t.server = server;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      for (const r of raws) r.destroy();
      await server.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      await database?.drop();
    },
  };
  return t;
}

/** Reads the test server's database directly, SQLite or PostgreSQL (portable SQL only). */
export async function storeRows<R>(t: Pick<TestServer, 'dataDir' | 'databaseUrl'>, sql: string): Promise<R[]> {
  if (t.databaseUrl) {
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql)).rows as R[];
    } finally {
      await client.end();
    }
  }
  const db = new Sqlite(path.join(t.dataDir, DB_FILE), { readonly: true });
  try {
    return db.prepare(sql).all() as R[];
  } finally {
    db.close();
  }
}

/** Awaits a rejection and returns its ProtocolError, failing the test otherwise. */
export async function protocolError(promise: Promise<unknown>): Promise<ProtocolError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ProtocolError) return err;
    throw err;
  }
  throw new Error('expected the request to fail, but it succeeded');
}

/** A bare TCP connection that reads whole JSON lines. */
export class RawConnection extends LineConnection {
  private readonly lines: string[] = [];

  static async open(port: number): Promise<RawConnection> {
    return new RawConnection(await connectTcp(port));
  }

  protected receive(line: string): void {
    this.lines.push(line);
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** The next line as JSON; rejects if the connection closes first or after `timeoutMs`. */
  async next(timeoutMs = 5000): Promise<Record<string, unknown>> {
    await this.waitFor(() => this.lines.length > 0, timeoutMs);
    if (this.lines.length === 0) throw new Error(this.closed ? 'connection closed' : 'no line before the time-out');
    return JSON.parse(this.lines.shift()!);
  }

  /** Whole lines received and not yet taken by next(). */
  /** The next reply, past any event pushed meanwhile (events come whenever a write commits). */
  async nextReply(timeoutMs = 5000): Promise<Record<string, unknown>> {
    for (;;) {
      const m = await this.next(timeoutMs);
      if (!('event' in m)) return m;
    }
  }

  get pendingLines(): number {
    return this.lines.length;
  }

  /** Resolves once the server has closed the connection. */
  async closedByServer(timeoutMs = 5000): Promise<void> {
    if (!(await this.waitFor(() => this.closed, timeoutMs, 50))) throw new Error('the server did not close the connection');
  }
}
