/**
 * Writes a synthetic annuaire through the server's own services, in-process
 * (a million TCP requests would measure the generator, not the server).
 * The result is cached under data/bench/<size>/ and reused while its stamp matches.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createServices } from '../packages/server/src/services';
import { openDatabase } from '../packages/server/src/store/db';
import { MIGRATIONS } from '../packages/server/src/store/migrations';
import { SEARCH_INDEX_VERSION } from '../packages/server/src/store/search-index';
import { defaultConfig } from '../packages/server/src/config';
import { contact, contactFields } from './data';

export const BENCH_USER = 'bench';
export const BENCH_PASSWORD = 'mot-de-passe-du-banc';
/** Change when the generator changes, so cached databases are rebuilt. */
const GENERATOR_VERSION = 5;

export function benchRoot(): string {
  return path.resolve(import.meta.dirname, '..', 'data', 'bench');
}

function stamp(size: number): string {
  return JSON.stringify({ size, generator: GENERATOR_VERSION, schema: MIGRATIONS.at(-1)!.version, search: SEARCH_INDEX_VERSION });
}

/** The directory of a ready annuaire of `size` contacts, built if missing or stale. */
export async function ensureDatabase(size: number, log: (s: string) => void): Promise<string> {
  const dir = path.join(benchRoot(), String(size));
  const stampFile = path.join(dir, 'stamp.json');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp(size)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const { db } = openDatabase(dir);
  const services = await createServices(db, { ...defaultConfig(), quota: { maxContacts: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER }, onRevoke: () => {} });
  await services.accounts.createAccount(BENCH_USER, BENCH_PASSWORD, '127.0.0.1');
  const { session } = await services.accounts.login(BENCH_USER, BENCH_PASSWORD, 'bench');
  const batch = 20_000;
  for (let i = 0; i < size; i += batch) {
    // Started in one transaction (SQLite writes run synchronously), awaited after.
    await Promise.all(
      db.transaction(() => Array.from({ length: Math.min(size, i + batch) - i }, (_, k) => services.contacts.add(session, contactFields(contact(i + k)))))(),
    );
    if ((i / batch) % 10 === 9) log(`  ${size}: ${i + batch} contacts, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  // The steady state of an index built over time: merged segments.
  db.exec("INSERT INTO search_fts (search_fts) VALUES ('optimize')");
  db.pragma('wal_checkpoint(TRUNCATE)');
  // No ANALYZE: a live server's database has no planner statistics, so neither has the bench's.
  db.close();
  writeFileSync(stampFile, stamp(size));
  log(`  built ${size} contacts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return dir;
}
