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
import { createServices } from '../packages/server/src/services';
import { openDatabase } from '../packages/server/src/store/db';
import { Sqlite } from '../packages/server/src/store/sqlite';
import { defaultConfig } from '../packages/server/src/config';
import { BENCH_PASSWORD, BENCH_USER } from './build-db';
import { NAMED_QUERIES } from './data';

const [source, ...asked] = process.argv.slice(2);
if (!source) throw new Error('usage: profile-search.ts <bench database dir> [query …]');
const dir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-profile-'));
copyFileSync(path.join(source, 'annuaire.sqlite'), path.join(dir, 'annuaire.sqlite'));
// As a live server's database: no planner statistics (dropped before the server's connection
// loads its schema, which would keep them in memory).
const bare = new Sqlite(path.join(dir, 'annuaire.sqlite'));
bare.exec('DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4;');
bare.close();
const { db } = openDatabase(dir);
type Statement = ReturnType<typeof db.prepare>;

interface Timing {
  sql: string;
  calls: number;
  ms: number;
}
let timings = new Map<string, Timing>();
const prepare = db.prepare.bind(db);
// Every statement prepared from here on is timed (the services prepare theirs at construction).
db.prepare = ((sql: string) => wrap(prepare(sql), sql)) as typeof db.prepare;
function wrap(stmt: Statement, sql: string): Statement {
  return new Proxy(stmt, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'all' || prop === 'get' || prop === 'run' || prop === 'iterate') {
        return (...args: unknown[]) => {
          const t0 = performance.now();
          const out = (value as (...a: unknown[]) => unknown).apply(target, args);
          const t = timings.get(sql) ?? { sql, calls: 0, ms: 0 };
          t.calls++;
          t.ms += performance.now() - t0;
          timings.set(sql, t);
          return out;
        };
      }
      return (...args: unknown[]) => {
        const out = (value as (...a: unknown[]) => unknown).apply(target, args);
        return out === target ? receiver : out;
      };
    },
  });
}

const services = await createServices(db, { ...defaultConfig(), onRevoke: () => {} });
const { session } = await services.accounts.login(BENCH_USER, BENCH_PASSWORD, 'profile');
const list = asked.length > 0 ? asked.map((query) => ({ query, limit: 20, offset: 0 })) : NAMED_QUERIES;
const one = (s: string) => s.replace(/\s+/g, ' ').trim();
for (const { query, limit = 20, offset = 0 } of list) {
  await services.contacts.update(session, 1, (await services.contacts.get(session, 1)).version, { fonction: `p${Date.now()}` });
  timings = new Map();
  const t0 = performance.now();
  const r = await services.contacts.search(session, query, limit, offset);
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
    const plan = prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 1)) as { detail: string }[];
    console.log(`${one(sql).slice(0, 120)}\n    ${plan.map((p) => p.detail).join('\n    ')}`);
  } catch {
    // a statement whose parameters are named: no plan printed
  }
}
db.close();
rmSync(dir, { recursive: true, force: true });
