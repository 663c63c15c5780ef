import { Sqlite, type SqliteDatabase } from './sqlite';
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { migrate } from './migrations';

export const DB_FILE = 'annuaire.sqlite';

/** Opens (creating if needed) the database in `dataDir`, private to this user, migrated. */
export function openDatabase(dataDir: string): SqliteDatabase {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // mkdir leaves an existing directory as it was: a 0777 one would let anyone swap the files.
  chmodSync(dataDir, 0o700);
  const file = path.join(dataDir, DB_FILE);
  const db = new Sqlite(file);
  // WAL + synchronous=FULL: an acknowledged write survives a crash or power loss.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Deleted rows are overwritten with zeros, not left in free pages (delete_account must erase).
  db.pragma('secure_delete = ON');
  // 64 MiB of page cache (the default is 2 MiB): lookups in a large annuaire stay in memory.
  db.pragma('cache_size = -65536');
  migrate(db);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      chmodSync(f, 0o600);
    } catch {
      // -wal/-shm appear lazily; SQLite creates them with the main file's mode.
    }
  }
  return db;
}
