/**
 * Where a search's time goes, statement by statement, in-process on a bench database:
 *
 *   npx tsx bench/profile-search.ts data/bench/100000 [query …]
 *
 * Opens a copy of the database through the server's own services, wraps every prepared
 * statement to time it, runs each query (after a write, so nothing is cached) and prints
 * per statement: calls, total ms, and SQLite's plan for it (EXPLAIN QUERY PLAN).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DATABASE_FILE, dropPlannerStatistics, openBenchDirectory } from '@annuaire/server/bench';
import { BENCH_PASSWORD, BENCH_USER } from './build-db';
import { NAMED_QUERIES } from './data';

const [source, ...asked] = process.argv.slice(2);
if (!source) throw new Error('usage: profile-search.ts <bench database dir> [query …]');
const dir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-profile-'));
copyFileSync(path.join(source, DATABASE_FILE), path.join(dir, DATABASE_FILE));
// As a live server's database: no planner statistics.
dropPlannerStatistics(dir);

interface Timing {
  sql: string;
  calls: number;
  ms: number;
}
let timings = new Map<string, Timing>();
// Every statement the services run is timed.
const annuaire = await openBenchDirectory(dir, {
  onStatement(sql, ms) {
    const t = timings.get(sql) ?? { sql, calls: 0, ms: 0 };
    t.calls++;
    t.ms += ms;
    timings.set(sql, t);
  },
});
const session = await annuaire.login(BENCH_USER, BENCH_PASSWORD);
const list = asked.length > 0 ? asked.map((query) => ({ query, limit: 20, offset: 0 })) : NAMED_QUERIES;
const one = (s: string) => s.replace(/\s+/g, ' ').trim();
for (const { query, limit = 20, offset = 0 } of list) {
  await session.update(1, (await session.get(1)).version, { fonction: `p${Date.now()}` });
  timings = new Map();
  const t0 = performance.now();
  const r = await session.search(query, limit, offset);
  const ms = performance.now() - t0;
  console.log(`\n${JSON.stringify(query)} limit ${limit} offset ${offset}: ${r.total} matches, ${ms.toFixed(2)} ms`);
  for (const t of [...timings.values()].sort((a, b) => b.ms - a.ms).slice(0, 4)) {
    console.log(`  ${t.ms.toFixed(2).padStart(7)} ms ${String(t.calls).padStart(3)}×  ${one(t.sql).slice(0, 150)}`);
  }
}
console.log('\nPlans:');
for (const sql of new Set([...timings.keys()])) {
  if (!/search_fts|search_keys|json_each/.test(sql)) continue;
  try {
    console.log(`${one(sql).slice(0, 120)}\n    ${annuaire.explain(sql).join('\n    ')}`);
  } catch {
    // a statement whose parameters are named: no plan printed
  }
}
annuaire.close();
rmSync(dir, { recursive: true, force: true });
