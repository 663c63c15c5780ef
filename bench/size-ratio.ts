/**
 * Search service time against annuaire size, in-process: the same named queries on a small
 * and a large bench annuaire, alternately (so that a busy machine weighs on both alike),
 * each right after a write to its annuaire (nothing cached). Prints a markdown table with
 * the medians and their ratio.
 *
 *   npx tsx bench/size-ratio.ts 10000 300000
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DATABASE_FILE, dropPlannerStatistics, openBenchDirectory } from '@annuaire/server/bench';
import { benchRoot, BENCH_PASSWORD, BENCH_USER } from './build-db';
import { NAMED_QUERIES } from './data';

const sizes = process.argv.slice(2).map(Number);
if (sizes.length !== 2) throw new Error('usage: size-ratio.ts <small size> <large size> (bench databases already built)');
const ROUNDS = 15;

async function open(size: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `annuaire-ratio-${size}-`));
  copyFileSync(path.join(benchRoot(), String(size), DATABASE_FILE), path.join(dir, DATABASE_FILE));
  // As a live server's database: no planner statistics.
  dropPlannerStatistics(dir);
  const annuaire = await openBenchDirectory(dir, { unlimitedQuota: true });
  const session = await annuaire.login(BENCH_USER, BENCH_PASSWORD);
  let version = (await session.get(1)).version;
  const write = async () => (version = (await session.update(1, version, { fonction: `f${version}` })).version);
  const search = (q: (typeof NAMED_QUERIES)[number]) => session.search(q.query, q.limit ?? 20, q.offset ?? 0);
  return { size, write, search, close: () => (annuaire.close(), rmSync(dir, { recursive: true, force: true })) };
}

const [small, large] = [await open(sizes[0]!), await open(sizes[1]!)];
const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
const label = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
const matches = (r: { total: number; total_is_lower_bound?: boolean }) => `${r.total_is_lower_bound ? '> ' : ''}${r.total.toLocaleString('en-US')}`;
console.log(`| kind | query | matches ${label(small.size)} | matches ${label(large.size)} | ${label(small.size)} ms | ${label(large.size)} ms | ratio |`);
console.log('|---|---|---:|---:|---:|---:|---:|');
for (const q of NAMED_QUERIES) {
  const t = { small: [] as number[], large: [] as number[] };
  const totals = ['', ''];
  for (let k = 0; k < ROUNDS; k++) {
    for (const [side, a] of [['small', small], ['large', large]] as const) {
      await a.write();
      const t0 = performance.now();
      const r = await a.search(q);
      t[side].push(performance.now() - t0);
      totals[side === 'small' ? 0 : 1] = matches(r);
    }
  }
  const [s, l] = [median(t.small), median(t.large)];
  const name = `\`${q.query}\`${q.offset ? `, offset ${q.offset}` : ''}${q.limit ? `, limit ${q.limit}` : ''}`;
  console.log(`| ${q.kind} | ${name} | ${totals[0]} | ${totals[1]} | ${s.toFixed(2)} | ${l.toFixed(2)} | ${(l / s).toFixed(2)} |`);
}
small.close();
large.close();
