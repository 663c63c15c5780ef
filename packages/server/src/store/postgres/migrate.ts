import type pg from 'pg';
import { PG_MIGRATIONS, type PgMigration } from './migrations';
import { storeError } from './pool';

/** pg_advisory_lock key of the migrations: any constant the database's other users do not take. */
const MIGRATION_LOCK = 0x616e6e75; // "annu"

/**
 * Brings the database's schema up to `migrations` (default PG_MIGRATIONS), each migration in
 * one transaction recorded in schema_migrations. A session advisory lock makes nodes that
 * start together wait for the first one, which migrates; the others then find nothing to do.
 * Refuses a database migrated by a newer annuaire, and one not in UTF-8 (byte counts, the
 * quota, and the "C" sort order of the keys assume it). Resolves with the schema version.
 */
export async function migrate(pool: pg.Pool, migrations: PgMigration[] = PG_MIGRATIONS): Promise<number> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw storeError(err);
  }
  let broken: Error | undefined;
  try {
    const { rows: encoding } = await client.query<{ server_encoding: string }>('SHOW server_encoding');
    if (encoding[0]?.server_encoding !== 'UTF8') {
      throw new Error(`the database's encoding is ${encoding[0]?.server_encoding}: annuaire needs UTF8 (CREATE DATABASE … ENCODING 'UTF8')`);
    }
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
      const current = rows[0]?.v ?? 0;
      const latest = migrations.at(-1)?.version ?? 0;
      if (current > latest) {
        throw new Error(`database schema version ${current} is newer than this server (${latest}); upgrade annuaire`);
      }
      for (const m of migrations) {
        if (m.version <= current) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          throw err;
        }
      }
      return latest;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    }
  } catch (err) {
    broken = err as Error;
    throw storeError(err);
  } finally {
    // On failure the connection is closed, which also frees the lock if the unlock did not run.
    client.release(broken);
  }
}
