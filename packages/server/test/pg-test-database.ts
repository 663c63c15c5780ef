/**
 * A real PostgreSQL database of its own for one test file: created from ANNUAIRE_TEST_PG_URL
 * (default: the local cluster's `annuaire` role), migrated, dropped after. When PostgreSQL is
 * unreachable the file's tests are skipped with the reason, except under CI, where it fails.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PG_MIGRATIONS } from '../src/store/postgres/migrations';

export const PG_BASE_URL = process.env.ANNUAIRE_TEST_PG_URL ?? 'postgres://annuaire:annuaire@127.0.0.1:5432/postgres';

/** Why PostgreSQL cannot be used here, or null when it can. Throws under CI instead of skipping. */
export async function pgUnavailable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_BASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    const reason = `PostgreSQL unreachable at ${PG_BASE_URL.replace(/:[^:@/]*@/, ':***@')}: ${(err as Error).message}`;
    if (process.env.CI === 'true') throw new Error(`${reason} (CI requires it)`, { cause: err });
    return reason;
  } finally {
    await client.end().catch(() => {});
  }
}

export interface TestDatabase {
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** A fresh database with every PG migration applied (a minimal runner: each in one transaction). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `annuaire_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_BASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_BASE_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  for (const m of PG_MIGRATIONS) {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(m.sql);
      await c.query('COMMIT');
    } finally {
      c.release();
    }
  }
  return {
    pool,
    async drop() {
      await pool.end();
      const a = new pg.Client({ connectionString: PG_BASE_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** Runs `f` in one transaction on a client of the pool. */
export async function inTransaction<T>(pool: pg.Pool, f: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const out = await f(c);
    await c.query('COMMIT');
    return out;
  } catch (err) {
    await c.query('ROLLBACK');
    throw err;
  } finally {
    c.release();
  }
}
