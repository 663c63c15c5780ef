import { randomBytes } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';

/** The server every PostgreSQL test uses; each test file makes databases of its own on it. */
export const PG_BASE_URL = process.env.ANNUAIRE_TEST_PG_URL ?? 'postgres://annuaire:annuaire@127.0.0.1:5432/postgres';

/** A fresh, empty database, and how to drop it (its connections closed by force). */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_BASE_URL, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(encoding: 'UTF8' | 'LATIN1' = 'UTF8'): Promise<TestDatabase> {
  const name = `annuaire_test_${randomBytes(6).toString('hex')}`;
  const locale = encoding === 'UTF8' ? '' : " LC_COLLATE 'C' LC_CTYPE 'C'";
  await withAdmin((c) => c.query(`CREATE DATABASE ${name} ENCODING '${encoding}'${locale} TEMPLATE template0`));
  const url = new URL(PG_BASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => dropDatabase(name),
  };
}

/** What PostgreSQL says when an autovacuum worker (no role: only a superuser may end it) holds the database. */
const HELD_BY_AUTOVACUUM = /must be a member of the role whose process is being terminated|is being accessed by other users/;

/**
 * DROP DATABASE … WITH (FORCE). FORCE cannot end an autovacuum worker, which may work for a
 * minute on a database a test has just filled (the 105k-row import): the drop is tried again
 * for a few seconds, then left to a background retry, so that cleaning up never fails a test.
 */
async function dropDatabase(name: string): Promise<void> {
  const drop = () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  for (let attempt = 1; attempt <= 20; attempt++) {
    try {
      await drop();
      return;
    } catch (err) {
      if (!HELD_BY_AUTOVACUUM.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  // Still held: try again every few seconds for two minutes, without holding the test (or the process) up.
  let left = 40;
  const retry = setInterval(() => {
    if (--left <= 0) clearInterval(retry);
    drop().then(
      () => clearInterval(retry),
      () => {},
    );
  }, 3000);
  retry.unref();
}

/** Closes every connection to `database` (PostgreSQL's side of a restart or a network cut). */
export async function terminateConnections(database: string): Promise<number> {
  return withAdmin(async (c) => {
    const { rows } = await c.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    return rows.length;
  });
}

/**
 * Why the PostgreSQL tests cannot run here, or undefined when they can. Off CI, an absent
 * PostgreSQL skips them (with this reason in the test names); on CI (CI set), it fails them.
 */
export async function postgresUnavailable(): Promise<string | undefined> {
  try {
    await withAdmin((c) => c.query('SELECT 1'));
    return undefined;
  } catch (err) {
    const reason = `no PostgreSQL at ${new URL(PG_BASE_URL).host} (${(err as Error).message}); set ANNUAIRE_TEST_PG_URL`;
    if (process.env.CI && process.env.CI !== 'false') throw new Error(`CI needs PostgreSQL: ${reason}`, { cause: err });
    // Said where the default reporter shows it, not only in the suites' names.
    console.warn(`PostgreSQL tests skipped: ${reason}`);
    return reason;
  }
}

/** Forwards a local port to PostgreSQL, and can cut every connection and refuse new ones: an outage. */
export class Outage {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: URL) {}

  /** Forwarding, or (`silent`) taking connections and never answering: a PostgreSQL that hangs. */
  async up(mode: 'forward' | 'silent' = 'forward'): Promise<void> {
    this.server = net.createServer((client) => {
      if (mode === 'silent') {
        this.sockets.add(client);
        client.on('error', () => {});
        return;
      }
      const upstream = net.connect(Number(this.target.port || 5432), this.target.hostname);
      for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
        this.sockets.add(a);
        a.on('error', () => b.destroy());
        a.on('close', () => {
          this.sockets.delete(a);
          b.destroy();
        });
        a.pipe(b);
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  url(of: string): string {
    const u = new URL(of);
    u.host = `127.0.0.1:${this.port}`;
    return u.toString();
  }
}
