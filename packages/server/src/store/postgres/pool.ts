import { createHash } from 'node:crypto';
import type pg from 'pg';
import { StoreUnavailable } from '../backend';
import type { PgDriver } from './driver';

export interface PoolOptions {
  /** Connections this node keeps at most. */
  max?: number;
  /** How long a query waits for a connection before failing with StoreUnavailable. */
  connectTimeoutMs?: number;
}

/** int8 (ids, counters, times in milliseconds) as JS numbers: all of them stay far below 2^53. */
export function numberTypes(driver: PgDriver): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === driver.types.builtins.INT8 ? Number : driver.types.getTypeParser(oid, format))) as typeof driver.types.getTypeParser,
  };
}

/** What every connection of a node sets, the pool's and the LISTEN one. */
export const CONNECTION_SETTINGS = {
  // A peer gone silent (a cut cable, a suspended VM) is found in seconds, not the OS's two hours.
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
  // A node stuck mid-transaction (suspended, cut off) releases its locks, its annuaire's row among them.
  idle_in_transaction_session_timeout: 60_000,
  // Statements are named (prepared()) to spare their parsing, but always planned for their
  // values: a generic plan can scan a whole annuaire where the values would use an index.
  options: '-c plan_cache_mode=force_custom_plan',
} as const;

/** A pool on a postgres:// URL. Nothing connects until the first query. */
export function createPool(driver: PgDriver, url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new driver.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    ...CONNECTION_SETTINGS,
    application_name: 'annuaire',
    types: numberTypes(driver),
  });
  // An idle connection that breaks (PostgreSQL restarting) is reported here; without a
  // listener Node would crash. The pool drops it, and the next query opens a new one.
  pool.on('error', () => {});
  return pool;
}

/** Connection failures in PostgreSQL's words (SQLSTATE) and in Node's (socket errno). */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, in recovery)
  '53300', // too_many_connections
]);

/** What pg says, without a code, when a connection ends under it or never comes. */
const UNAVAILABLE_MESSAGES = ['Connection terminated', 'timeout exceeded when trying to connect', 'is not queryable', 'connection timeout'];

export function isUnavailable(err: unknown): boolean {
  if (err instanceof StoreUnavailable) return true;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m));
}

/** A connection failure as StoreUnavailable; any other error unchanged (a guard's, a constraint's). */
export function storeError(err: unknown): unknown {
  if (err instanceof StoreUnavailable || !isUnavailable(err)) return err;
  return new StoreUnavailable(err);
}

const statementNames = new Map<string, string>();

/** A named statement: each connection parses it once (see CONNECTION_SETTINGS for its plans). */
export function prepared(text: string, values: unknown[]): pg.QueryConfig {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `annuaire_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}

/** One statement on the pool, its connection failures mapped to StoreUnavailable. */
export async function query<R extends pg.QueryResultRow>(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<R[]> {
  try {
    return (await pool.query<R>(prepared(sql, params))).rows;
  } catch (err) {
    throw storeError(err);
  }
}

/** serialization_failure, deadlock_detected: the transaction may simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const ATTEMPTS = 4;

export interface TransactionOptions {
  isolation?: 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';
  readOnly?: boolean;
}

/**
 * Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. A
 * serialization failure or a deadlock runs it again (so `fn` must only touch the
 * database); connection failures come out as StoreUnavailable, anything else unchanged.
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const begin = `BEGIN ISOLATION LEVEL ${options.isolation ?? 'READ COMMITTED'}${options.readOnly ? ' READ ONLY' : ''}`;
  for (let attempt = 1; ; attempt++) {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw storeError(err);
    }
    try {
      await client.query(begin);
      const result = await fn(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (err) {
      let broken = isUnavailable(err);
      if (!broken) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
      }
      // A broken connection is closed rather than given back to the pool.
      client.release(broken ? (err as Error) : undefined);
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'string' && RETRYABLE.has(code) && attempt < ATTEMPTS) continue;
      throw storeError(err);
    }
  }
}
