/**
 * The bench's mixed queries, each timed in-process on a bench database: the slowest ones,
 * and the median per kind (to find which queries a run's p99 comes from).
 *
 *   npx tsx bench/slowest-queries.ts data/bench/100000 100000
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DATABASE_FILE, openBenchDirectory } from '@annuaire/server/bench';
import { BENCH_PASSWORD, BENCH_USER } from './build-db';
import { queries } from './data';

const [source, size] = process.argv.slice(2);
const dir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-slowest-'));
copyFileSync(path.join(source!, DATABASE_FILE), path.join(dir, DATABASE_FILE));
const annuaire = await openBenchDirectory(dir);
const session = await annuaire.login(BENCH_USER, BENCH_PASSWORD);
// A first pass warms SQLite's page cache; the second is timed.
for (const { query } of queries(Number(size), 2000)) await session.search(query, 20, 0);
await session.update(1, (await session.get(1)).version, { fonction: 'x' });
const timed: { kind: string; query: string; ms: number; total: number }[] = [];
for (const { kind, query } of queries(Number(size), 2000)) {
  const t0 = performance.now();
  const r = await session.search(query, 20, 0);
  timed.push({ kind, query, ms: performance.now() - t0, total: r.total });
}
const byKind = new Map<string, typeof timed>();
for (const t of timed) byKind.set(t.kind, [...(byKind.get(t.kind) ?? []), t]);
for (const [kind, ts] of byKind) {
  const ms = ts.map((t) => t.ms).sort((a, b) => a - b);
  console.log(`${kind.padEnd(12)} p50 ${ms[ms.length >> 1]!.toFixed(2)}  p99 ${ms[Math.floor(ms.length * 0.99)]!.toFixed(2)} ms`);
}
for (const t of timed.sort((a, b) => b.ms - a.ms).slice(0, 15)) console.log(`${t.ms.toFixed(2).padStart(7)} ms  ${t.kind.padEnd(12)} ${JSON.stringify(t.query)}  ${t.total}`);
annuaire.close();
rmSync(dir, { recursive: true, force: true });
