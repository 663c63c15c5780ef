import { chmodSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { DB_FILE } from './db';
import { Sqlite } from './sqlite';

/**
 * How far a backup moves every annuaire's journal on: past any seq the live database could
 * reach before the copy is restored, so a client that saw changes made after the backup is
 * answered resync_required rather than given numbers the restored database will reuse.
 */
export const RESTORE_SEQ_JUMP = 2 ** 32;

export interface BackupResult {
  file: string;
  bytes: number;
  users: number;
  contacts: number;
}

/**
 * A consistent copy of the database while the server runs: VACUUM INTO reads one snapshot (WAL:
 * writers go on meanwhile) and writes a compact file. Written beside `dest` then renamed, so
 * `dest` is never a half copy; private to this user like the database. Refuses to overwrite.
 */
export function backupDatabase(dataDir: string, dest: string): BackupResult {
  const source = path.join(dataDir, DB_FILE);
  if (!existsSync(source)) throw new Error(`no database at ${source}`);
  if (existsSync(dest)) throw new Error(`${dest} already exists: give a new file name`);
  const partial = `${dest}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  const db = new Sqlite(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('VACUUM INTO ?').run(partial);
  } finally {
    db.close();
  }
  try {
    chmodSync(partial, 0o600);
    const copy = new Sqlite(partial);
    let counts: { users: number; contacts: number };
    try {
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy failed its check: ${String(check)}`);
      // Both from the old change_seq: every journal restarts past where it could have got to.
      copy.prepare('UPDATE annuaires SET change_floor = change_seq + ?, change_seq = change_seq + ?').run(RESTORE_SEQ_JUMP, RESTORE_SEQ_JUMP);
      counts = copy.prepare<[], { users: number; contacts: number }>('SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM contacts) AS contacts').get()!;
    } finally {
      copy.close();
    }
    renameSync(partial, dest);
    return { file: dest, bytes: statSync(dest).size, ...counts };
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}
