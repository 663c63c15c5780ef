/**
 * The server in-process, for the benchmark (`@annuaire/server/bench`, used by bench/): a data
 * directory opened as the server opens it, its annuaires written and searched through the
 * server's own services. Writing a million contacts over TCP would measure the generator, not
 * the server; what the bench measures over TCP it measures against the built bin.
 */
import type { Contact, ParsedParamsOf } from '@annuaire/protocol';
import path from 'node:path';
import { defaultConfig } from './config';
import { createServices } from './services';
import { DB_FILE, openDatabase } from './store/db';
import { MIGRATIONS } from './store/migrations';
import { SEARCH_INDEX_VERSION } from './store/search-index';
import { Sqlite } from './store/sqlite';

/** The database file in a data directory, to copy an annuaire the bench built. */
export const DATABASE_FILE = DB_FILE;

/** What a database built by this code depends on: one built under other versions is stale. */
export function storageVersions(): { schema: number; search: number } {
  return { schema: MIGRATIONS.at(-1)!.version, search: SEARCH_INDEX_VERSION };
}

/** One account's annuaire, as its logged-in session sees it through the services. */
export interface BenchSession {
  add(fields: ParsedParamsOf<'add_contact'>): Promise<Contact>;
  get(id: number): Promise<Contact>;
  update(id: number, version: number, fields: Omit<ParsedParamsOf<'update_contact'>, 'contact_id' | 'version'>): Promise<Contact>;
  search(query: string, limit: number, offset: number): Promise<{ total: number; total_is_lower_bound?: boolean }>;
}

export interface BenchDirectory {
  /** A new account (the per-address creation limit does not apply in-process). */
  createAccount(username: string, password: string): Promise<void>;
  login(username: string, password: string): Promise<BenchSession>;
  /**
   * Starts the writes `start` returns inside one transaction, then awaits them: a batch of adds
   * at the cost of one commit (SQLite's writes run synchronously, so each lands in it).
   */
  transaction(start: () => Promise<unknown>[]): Promise<void>;
  /**
   * The steady state of an index built over time: the search index's segments merged (FTS5
   * optimize) and the WAL folded into the file. No ANALYZE: a live server's database has no
   * planner statistics, so neither has the bench's.
   */
  settle(): void;
  /** SQLite's plan for a statement (EXPLAIN QUERY PLAN, every parameter 1); throws for named parameters. */
  explain(sql: string): string[];
  close(): void;
}

export interface BenchOptions {
  /** Lift the account quota (the bench's annuaires outgrow the default 100,000 contacts). */
  unlimitedQuota?: boolean;
  /** Called with each statement run through the services (`all`, `get`, `run`, `iterate`) and its time. */
  onStatement?: (sql: string, ms: number) => void;
}

/** Opens `dataDir` (creating and migrating its database if needed) with the server's services over it. */
export async function openBenchDirectory(dataDir: string, options: BenchOptions = {}): Promise<BenchDirectory> {
  const { db } = openDatabase(dataDir);
  const prepare = db.prepare.bind(db);
  // The services prepare their statements at construction: time them from the start.
  const onStatement = options.onStatement;
  if (onStatement) db.prepare = ((sql: string) => timed(prepare(sql), sql, onStatement)) as typeof db.prepare;
  const unlimited = { maxContacts: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER };
  const services = await createServices(db, { ...defaultConfig(), ...(options.unlimitedQuota ? { quota: unlimited } : {}), onRevoke: () => {} });
  return {
    async createAccount(username, password) {
      await services.accounts.createAccount(username, password, '127.0.0.1');
    },
    async login(username, password) {
      const { session } = await services.accounts.login(username, password, 'bench');
      return {
        add: (fields) => services.contacts.add(session, fields),
        get: (id) => services.contacts.get(session, id),
        update: (id, version, fields) => services.contacts.update(session, id, version, fields),
        search: (query, limit, offset) => services.contacts.search(session, query, limit, offset),
      };
    },
    async transaction(start) {
      await Promise.all(db.transaction(start)());
    },
    settle() {
      db.exec("INSERT INTO search_fts (search_fts) VALUES ('optimize')");
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
    explain(sql) {
      const ones = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 1);
      return (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...ones) as { detail: string }[]).map((p) => p.detail);
    },
    close() {
      db.close();
    },
  };
}

/**
 * Drops the planner statistics (ANALYZE's tables) from the database in `dataDir`: a live
 * server never runs ANALYZE, and statistics in a bench copy once hid a plan that read the whole
 * annuaire for each page of results. Done before the server opens it, which would keep them.
 */
export function dropPlannerStatistics(dataDir: string): void {
  const db = new Sqlite(path.join(dataDir, DB_FILE));
  db.exec('DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4;');
  db.close();
}

type Statement = ReturnType<ReturnType<typeof openDatabase>['db']['prepare']>;

/** `stmt`, its runs timed; methods that return the statement (pluck, raw…) return the timed one. */
function timed(stmt: Statement, sql: string, onStatement: (sql: string, ms: number) => void): Statement {
  return new Proxy(stmt, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'all' || prop === 'get' || prop === 'run' || prop === 'iterate') {
        return (...args: unknown[]) => {
          const t0 = performance.now();
          const out = (value as (...a: unknown[]) => unknown).apply(target, args);
          onStatement(sql, performance.now() - t0);
          return out;
        };
      }
      return (...args: unknown[]) => {
        const out = (value as (...a: unknown[]) => unknown).apply(target, args);
        return out === target ? receiver : out;
      };
    },
  });
}

/**
 * PostgreSQL search in-process (bench/pg-search.ts): the records the services derive, the
 * schema, and the index with its query planner, as the PostgreSQL backend uses them.
 */
export { mergeContact, toRecord } from './services/contact-record';
export { queryWords } from './services/search';
export { PG_MIGRATIONS } from './store/postgres/migrations';
export { migrate as migratePostgres } from './store/postgres/migrate';
export { PgSearchIndex } from './store/postgres/search';
export { planQuery } from './store/postgres/search-sql';

/** An embedded annuaire copied into PostgreSQL (`annuaire-server migrate`), for the PostgreSQL rows (bench/postgres.ts). */
export { moveToPostgres } from './move-to-postgres';
