import type { PoolClient } from 'pg';
import type { CountryCode } from 'libphonenumber-js';
import { defaultConfig } from './config';
import { recordOf } from './services/contact-record';
import { openDatabase } from './store/db';
import { copyFromSqlite, type CopyCounts, type CopyReport } from './store/postgres/copy-from-sqlite';
import { loadDriver } from './store/postgres/driver';
import { migrate } from './store/postgres/migrate';
import { createPool } from './store/postgres/pool';
import { PgSearchIndex } from './store/postgres/search';

export interface MoveReport extends CopyReport {
  /** Rows of the source not found in the target afterwards (all 0 when the copy is whole). */
  missing: Pick<CopyCounts, 'users' | 'contacts' | 'sessions'>;
}

/** Ids checked per statement. */
const ID_BATCH = 10_000;

/**
 * `annuaire-server migrate --from DIR --to postgres://…`: the embedded annuaire in DIR copied
 * into PostgreSQL (migrated first), ids kept, then checked: every account, contact and session
 * of the source must be found in the target. Safe to run again: a rerun copies what is missing
 * (e.g. what was written to DIR after a first run) and changes nothing else. Run it with the
 * server on DIR stopped, or writes made during the copy may be missed (a rerun takes them).
 */
export async function moveToPostgres(dataDir: string, url: string): Promise<MoveReport> {
  const { db } = openDatabase(dataDir);
  const driver = await loadDriver();
  const pool = createPool(driver, url, { max: 2 });
  try {
    await migrate(pool);
    const client = await pool.connect();
    try {
      const region = defaultConfig({ dataDir }).phoneRegion as CountryCode;
      // One read snapshot of the source for the whole copy.
      db.exec('BEGIN');
      try {
        const report = await copyFromSqlite(db, client, new PgSearchIndex(), (row) => recordOf(row, region));
        const missing = {
          users: await missingIds(client, 'users', db.prepare<[], number>('SELECT id FROM users').pluck().all()),
          contacts: await missingIds(client, 'contacts', db.prepare<[], number>('SELECT id FROM contacts').pluck().all()),
          sessions: await missingIds(client, 'sessions', db.prepare<[], number>('SELECT id FROM sessions').pluck().all()),
        };
        return { ...report, missing };
      } finally {
        db.exec('COMMIT');
      }
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
    db.close();
  }
}

async function missingIds(client: PoolClient, table: string, ids: number[]): Promise<number> {
  let found = 0;
  for (let i = 0; i < ids.length; i += ID_BATCH) {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE id = ANY($1::bigint[])`, [ids.slice(i, i + ID_BATCH)]);
    found += Number(rows[0]!.n);
  }
  return ids.length - found;
}

/** The report as an operator reads it. */
export function describeMove(r: MoveReport, target: string): string {
  const line = (name: string, key: keyof CopyCounts) =>
    `  ${name.padEnd(10)} ${String(r.source[key]).padStart(9)} in the data directory, ${String(r.target[key]).padStart(9)} in ${target}, ${r.copied[key]} copied now`;
  const complete = Object.values(r.missing).every((n) => n === 0);
  return [
    line('accounts', 'users'),
    line('annuaires', 'annuaires'),
    line('contacts', 'contacts'),
    line('sources', 'sources'),
    line('sessions', 'sessions'),
    line('journal', 'changes'),
    complete
      ? 'verified: every account, contact and session of the data directory is in PostgreSQL.'
      : `MISSING in PostgreSQL: ${r.missing.users} account(s), ${r.missing.contacts} contact(s), ${r.missing.sessions} session(s).`,
  ].join('\n');
}
