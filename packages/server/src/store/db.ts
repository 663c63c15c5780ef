import { Sqlite, type SqliteDatabase } from './sqlite';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { migrate } from './migrations';
import { checkAtStart, DatabaseDamaged, INLINE_CHECK_MAX_BYTES } from './integrity';

export const DB_FILE = 'annuaire.sqlite';

/** SQLite's words for a file that is not a sound database. */
const DAMAGE_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

/**
 * Opens (creating if needed) the database in `dataDir`, private to this user, checked and
 * migrated. Throws DatabaseDamaged when the check finds damage; `checkedInFull` is false
 * when the file was too large to check whole at start (see store/integrity.ts). `exclusive`
 * takes the file for this connection alone, and fails at once (SQLITE_BUSY) if another has it.
 */
export function openDatabase(
  dataDir: string,
  { inlineCheckMaxBytes = INLINE_CHECK_MAX_BYTES, exclusive = false } = {},
): { db: SqliteDatabase; file: string; checkedInFull: boolean } {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // mkdir leaves an existing directory as it was: a 0777 one would let anyone swap the files.
  chmodSync(dataDir, 0o700);
  const file = path.join(dataDir, DB_FILE);
  const db = new Sqlite(file);
  let checkedInFull;
  try {
    if (exclusive) {
      db.pragma('busy_timeout = 0');
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE; COMMIT');
    }
    // WAL + synchronous=FULL: an acknowledged write survives a crash or power loss.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    if (!exclusive) db.pragma('busy_timeout = 5000');
    // Deleted rows are overwritten with zeros, not left in free pages (delete_account must erase).
    db.pragma('secure_delete = ON');
    // 64 MiB of page cache (the default is 2 MiB): lookups in a large annuaire stay in memory.
    db.pragma('cache_size = -65536');
    checkedInFull = checkAtStart(db, file, inlineCheckMaxBytes);
    migrate(db);
  } catch (err) {
    db.close();
    const code = (err as { code?: string }).code;
    if (code && DAMAGE_CODES.has(code)) throw new DatabaseDamaged(file, [(err as Error).message]);
    throw err;
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      chmodSync(f, 0o600);
    } catch {
      // -wal/-shm appear lazily; SQLite creates them with the main file's mode.
    }
  }
  return { db, file, checkedInFull };
}

/**
 * Rewrites the whole file (VACUUM), with the server stopped (refused with SQLITE_BUSY if
 * another connection has the file): the one way to remove the last
 * traces of deleted data, stale copies of index entries that SQLite leaves in the unused
 * part of pages it split (secure_delete does not reach them). The copy is built in memory,
 * not in a temporary file, and the WAL is truncated after. Returns the sizes in bytes.
 */
export function compactDatabase(dataDir: string): { before: number; after: number } {
  const { db, file } = openDatabase(dataDir, { exclusive: true });
  try {
    const before = statSync(file).size;
    db.pragma('temp_store = MEMORY');
    // The search index rewritten without deleted rows first: VACUUM copies its segments as they are.
    db.exec("INSERT INTO search_fts (search_fts) VALUES ('optimize')");
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { before, after: statSync(file).size };
  } finally {
    db.close();
  }
}
