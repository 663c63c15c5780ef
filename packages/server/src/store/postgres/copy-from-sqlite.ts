import type { ClientBase } from 'pg';
import type { SqliteDatabase } from '../sqlite';
import type { ContactRecord, ContactRow } from '../rows';
import type { PgSearchIndex } from './search';

/** Rows copied per statement: one round trip per batch, parameters well under PostgreSQL's 65,535. */
const BATCH = 500;

/** What `annuaire-server migrate` found in each database once the copy is done. */
export interface CopyCounts {
  users: number;
  annuaires: number;
  contacts: number;
  sources: number;
  sessions: number;
  changes: number;
}

export interface CopyReport {
  source: CopyCounts;
  target: CopyCounts;
  /** Rows written by this run (0 everywhere when run again on a finished copy). */
  copied: CopyCounts;
}

/** The target holds accounts that are not this source's: copying would mix two directories. */
export class CopyConflict extends Error {}

const TABLES = ['users', 'annuaires', 'contacts', 'contact_sources', 'sessions', 'changes'] as const;
const COUNT_KEYS: Record<(typeof TABLES)[number], keyof CopyCounts> = {
  users: 'users',
  annuaires: 'annuaires',
  contacts: 'contacts',
  contact_sources: 'sources',
  sessions: 'sessions',
  changes: 'changes',
};

/**
 * Copies an embedded annuaire (SQLite) into a migrated PostgreSQL database, keeping every id,
 * so that sessions, journal positions (clients' seq) and contact ids stay valid: accounts with
 * their password hashes, annuaires with their journal heads, contacts, imported cards' text,
 * sessions and the journal. Each table is copied with ON CONFLICT DO NOTHING, so a second run
 * copies only what the first did not; the identity sequences are moved past the copied ids.
 * The search index is built for the contacts this run wrote. One transaction: a copy that
 * fails leaves the target as it was.
 */
export async function copyFromSqlite(
  source: SqliteDatabase,
  target: ClientBase,
  search: PgSearchIndex,
  derive: (row: ContactRow) => ContactRecord,
): Promise<CopyReport> {
  await target.query('BEGIN');
  try {
    await refuseForeignAccounts(source, target);
    const copied = emptyCounts();
    copied.users = await copyTable(source, target, 'SELECT id, username, username_key, password_hash, created_at FROM users ORDER BY id', 'users');
    copied.annuaires = await copyTable(
      source,
      target,
      `SELECT id, user_id, name, created_at, change_seq, change_floor FROM annuaires ORDER BY id`,
      'annuaires',
    );
    // Journal heads of annuaires copied before: the source may have moved on since.
    await target.query('CREATE TEMP TABLE heads (id bigint PRIMARY KEY, change_seq bigint, change_floor bigint) ON COMMIT DROP');
    for (const rows of batches(source.prepare<[], Record<string, unknown>>('SELECT id, change_seq, change_floor FROM annuaires ORDER BY id').iterate())) {
      await insertRows(target, 'heads', rows);
    }
    await target.query(
      `UPDATE annuaires a SET change_seq = greatest(a.change_seq, h.change_seq), change_floor = greatest(a.change_floor, h.change_floor)
       FROM heads h WHERE h.id = a.id`,
    );
    const newContacts: number[] = [];
    copied.contacts = await copyTable(
      source,
      target,
      'SELECT id, annuaire_id, nom, prenom, nom_key, prenom_key, data, version, created_at, updated_at FROM contacts ORDER BY id',
      'contacts',
      (ids) => newContacts.push(...ids),
    );
    copied.sources = await copyTable(
      source,
      target,
      `SELECT s.contact_id, c.annuaire_id, s.format, s.text, s.version FROM contact_sources s JOIN contacts c ON c.id = s.contact_id ORDER BY s.contact_id`,
      'contact_sources',
    );
    copied.sessions = await copyTable(source, target, 'SELECT id, user_id, token_hash, created_at, last_used_at FROM sessions ORDER BY id', 'sessions');
    copied.changes = await copyTable(
      source,
      target,
      'SELECT annuaire_id, seq, contact_id, deleted = 1 AS deleted, at FROM changes ORDER BY annuaire_id, seq',
      'changes',
    );
    for (const table of ['users', 'annuaires', 'contacts', 'sessions']) {
      await target.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), greatest((SELECT max(id) FROM ${table}), 1))`);
    }
    // The search index of the contacts written now, from the rows as they are in the target.
    for (let i = 0; i < newContacts.length; i += BATCH) {
      const { rows } = await target.query<ContactRow & { annuaire_id: number }>(
        `SELECT id, annuaire_id, nom, prenom, nom_key, prenom_key, data, version, created_at, updated_at
         FROM contacts WHERE id = ANY($1::bigint[]) ORDER BY id`,
        [newContacts.slice(i, i + BATCH)],
      );
      for (const row of rows) await search.put(target, row.annuaire_id, row.id, derive(row));
    }
    const report = { source: sourceCounts(source), target: await targetCounts(target), copied };
    await target.query('COMMIT');
    return report;
  } catch (err) {
    await target.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

/** Every account in the target must be one of the source's, with the same id: a rerun, or none. */
async function refuseForeignAccounts(source: SqliteDatabase, target: ClientBase): Promise<void> {
  const { rows } = await target.query<{ id: number; username_key: string }>('SELECT id, username_key FROM users ORDER BY id');
  const find = source.prepare<[number], { username_key: string }>('SELECT username_key FROM users WHERE id = ?');
  for (const r of rows) {
    if (find.get(r.id)?.username_key !== r.username_key) {
      throw new CopyConflict(
        `the target database already holds accounts that are not this data directory's (user id ${r.id}); migrate into an empty database`,
      );
    }
  }
}

/**
 * Copies the rows `select` reads into `table`, in batches; rows already there (same key) are
 * left as they are. Returns how many were written; `onWritten` hears their ids.
 */
async function copyTable(
  source: SqliteDatabase,
  target: ClientBase,
  select: string,
  table: string,
  onWritten?: (ids: number[]) => void,
): Promise<number> {
  let written = 0;
  for (const rows of batches(source.prepare<[], Record<string, unknown>>(select).iterate())) {
    const ids = await insertRows(target, table, rows, onWritten ? 'id' : undefined);
    written += ids.length;
    onWritten?.(ids);
  }
  return written;
}

/** One multi-row INSERT … ON CONFLICT DO NOTHING; returns the `returning` column of the rows written. */
async function insertRows(target: ClientBase, table: string, rows: Record<string, unknown>[], returning?: string): Promise<number[]> {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]!);
  const values: unknown[] = [];
  const tuples = rows.map((row) => `(${columns.map((c) => (values.push(row[c]), `$${values.length}`)).join(', ')})`);
  // OVERRIDING SYSTEM VALUE: identity columns take the source's ids.
  const identity = ['users', 'annuaires', 'contacts', 'sessions'].includes(table) ? ' OVERRIDING SYSTEM VALUE' : '';
  const result = await target.query<{ k: number }>(
    `INSERT INTO ${table} (${columns.join(', ')})${identity} VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING RETURNING ${returning ?? 1} AS k`,
    values,
  );
  return result.rows.map((r) => Number(r.k));
}

function* batches<T>(rows: Iterable<T>): Generator<T[]> {
  let batch: T[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function emptyCounts(): CopyCounts {
  return { users: 0, annuaires: 0, contacts: 0, sources: 0, sessions: 0, changes: 0 };
}

function sourceCounts(source: SqliteDatabase): CopyCounts {
  const counts = emptyCounts();
  for (const table of TABLES) counts[COUNT_KEYS[table]] = source.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()!.n;
  return counts;
}

async function targetCounts(target: ClientBase): Promise<CopyCounts> {
  const counts = emptyCounts();
  for (const table of TABLES) {
    const { rows } = await target.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    counts[COUNT_KEYS[table]] = Number(rows[0]!.n);
  }
  return counts;
}
