import type Pg from 'pg';

export type PgDriver = typeof Pg;

/**
 * The pg driver, imported on first use: a server on SQLite (the default) never loads it
 * (a dynamic import stays one in the bundles; pg takes about 80 ms to load).
 */
export async function loadDriver(): Promise<PgDriver> {
  return (await import('pg')).default;
}
