import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { SQLITE_MODULE_PATH } from './sqlite';

/**
 * Databases up to this size are checked in full before the server starts. Measured:
 * PRAGMA quick_check reads about 130-190 MB/s here (0.5-0.7 s for 100k contacts, 95 MB),
 * so a full check of 1M contacts would take several seconds; start-up must stay under 1 s.
 */
export const INLINE_CHECK_MAX_BYTES = 64 * 1024 * 1024;

/** Tables small enough to check at every start, whatever the database's size (accounts, sessions). */
const SMALL_TABLES = ['users', 'annuaires', 'sessions', 'search_state'];

/** What quick_check found: the first problems, as SQLite words them. */
export class DatabaseDamaged extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(
      `the database ${file} is damaged:\n  ${problems.join('\n  ')}\n` +
        'Stop here and restore it from a backup (or salvage it with `sqlite3 annuaire.sqlite .recover`).',
    );
    this.name = 'DatabaseDamaged';
  }
}

const problemsOf = (rows: unknown) =>
  (rows as { quick_check: string }[]).map((r) => r.quick_check).filter((p) => p !== 'ok');

/**
 * The check at start: a full quick_check of a database up to `inlineMaxBytes`; of a larger
 * one, the small tables only (checkInBackground does the rest). Throws DatabaseDamaged.
 * Returns whether the check was complete.
 */
export function checkAtStart(db: Database.Database, file: string, inlineMaxBytes: number): boolean {
  const complete = statSync(file).size <= inlineMaxBytes;
  const existing = (table: string) => db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table);
  const problems = complete
    ? problemsOf(db.pragma('quick_check(20)'))
    : SMALL_TABLES.filter(existing).flatMap((table) => problemsOf(db.pragma(`quick_check(${table})`)));
  if (problems.length > 0) throw new DatabaseDamaged(file, problems);
  return complete;
}

// CommonJS, evaluated in the worker: its own read-only connection, one quick_check.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let problems;
try {
  const Database = require(workerData.modulePath);
  const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  problems = db.pragma('quick_check(20)').map((r) => r.quick_check).filter((p) => p !== 'ok');
  db.close();
} catch (err) {
  problems = [String(err && err.message)];
}
parentPort.postMessage(problems);
`;

/**
 * A full quick_check off the event loop, in a worker thread: resolves with the problems found
 * ([] when the file is sound). `cancel` ends it (at shutdown).
 */
export function checkInBackground(file: string): { done: Promise<string[]>; cancel: () => void } {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { modulePath: SQLITE_MODULE_PATH, file } });
  worker.unref();
  const done = new Promise<string[]>((resolve) => {
    worker.once('message', (problems: string[]) => resolve(problems));
    worker.once('error', (err) => resolve([`the check itself failed: ${err.message}`]));
    // Cancelled: nothing found.
    worker.once('exit', () => resolve([]));
  });
  return { done, cancel: () => void worker.terminate() };
}
