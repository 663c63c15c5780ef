/**
 * Writes a synthetic annuaire through the server's own services, in-process
 * (@annuaire/server/bench: a million TCP requests would measure the generator, not the server).
 * The result is cached under data/bench/<size>/ and reused while its stamp matches.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openBenchDirectory, storageVersions } from '@annuaire/server/bench';
import { contact, contactFields } from './data';

export const BENCH_USER = 'bench';
export const BENCH_PASSWORD = 'mot-de-passe-du-banc';
/** Change when the generator changes, so cached databases are rebuilt. */
const GENERATOR_VERSION = 5;

export function benchRoot(): string {
  return path.resolve(import.meta.dirname, '..', 'data', 'bench');
}

function stamp(size: number): string {
  return JSON.stringify({ size, generator: GENERATOR_VERSION, ...storageVersions() });
}

/** The directory of a ready annuaire of `size` contacts, built if missing or stale. */
export async function ensureDatabase(size: number, log: (s: string) => void): Promise<string> {
  const dir = path.join(benchRoot(), String(size));
  const stampFile = path.join(dir, 'stamp.json');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp(size)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const annuaire = await openBenchDirectory(dir, { unlimitedQuota: true });
  await annuaire.createAccount(BENCH_USER, BENCH_PASSWORD);
  const session = await annuaire.login(BENCH_USER, BENCH_PASSWORD);
  const batch = 20_000;
  for (let i = 0; i < size; i += batch) {
    await annuaire.transaction(() => Array.from({ length: Math.min(size, i + batch) - i }, (_, k) => session.add(contactFields(contact(i + k)))));
    if ((i / batch) % 10 === 9) log(`  ${size}: ${i + batch} contacts, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  annuaire.settle();
  annuaire.close();
  writeFileSync(stampFile, stamp(size));
  log(`  built ${size} contacts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return dir;
}
