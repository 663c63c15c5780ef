/**
 * Search on PostgreSQL against annuaire size, in-process: the realistic bench annuaire
 * (bench/data.ts) written into PostgreSQL at each size, then each of the named queries timed
 * on every size alternately (so that a busy machine weighs on all alike). Prints a markdown
 * table: matches, median and max service time per size, and the largest/smallest ratio.
 *
 *   npx tsx bench/pg-search.ts [10000,100000] [--rounds 15] [--no-analyze] [--explain QUERY]
 *
 * Databases `annuaire_bench_search_<size>` are kept and reused while their stamp matches
 * (ANNUAIRE_TEST_PG_URL, default the local `annuaire` role).
 */
import pg from 'pg';
import { mergeContact, migratePostgres as migrate, PG_MIGRATIONS, PgSearchIndex, planQuery, queryWords, toRecord } from '@annuaire/server/bench';
import { contact, contactFields, NAMED_QUERIES } from './data';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const sizes = (args.find((a) => /^\d[\d,]*$/.test(a)) ?? '10000,100000').split(',').map(Number);
const ROUNDS = Number(option('--rounds') ?? 15);
const BASE = process.env.ANNUAIRE_TEST_PG_URL ?? 'postgres://annuaire:annuaire@127.0.0.1:5432/postgres';
/** Change when the generator or the index's terms change, so kept databases are rebuilt. */
const STAMP = `generator 5, pg schema ${PG_MIGRATIONS.at(-1)!.version}, terms 4`;
const index = new PgSearchIndex();

function urlOf(db: string): string {
  const u = new URL(BASE);
  u.pathname = `/${db}`;
  return u.toString();
}

/** A pool on a bench database of `size` contacts, built if missing or stale; and the annuaire id. */
async function open(size: number): Promise<{ pool: pg.Pool; annuaire: number }> {
  const name = `annuaire_bench_search_${size}`;
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  let pool = new pg.Pool({ connectionString: urlOf(name), max: 4 });
  if (exists) {
    const ok = await pool.query("SELECT value FROM bench_stamp WHERE value = $1", [STAMP]).catch(() => ({ rowCount: 0 }));
    if (ok.rowCount === 1) {
      await admin.end();
      return { pool, annuaire: 1 };
    }
    pool.on('error', () => {}); // its connections end with the database
    await pool.end();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    pool = new pg.Pool({ connectionString: urlOf(name), max: 4 });
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  await migrate(pool);
  const now = new Date().toISOString();
  await pool.query("INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES (1, 'bench', 'bench', 'x', $1)", [now]);
  await pool.query("INSERT INTO annuaires (id, user_id, name, created_at) VALUES (1, 1, 'bench', $1)", [now]);
  const started = performance.now();
  const batch = 500;
  let next = 0;
  // Four writers, each a transaction of `batch` contacts at a time.
  const writer = async () => {
    const c = await pool.connect();
    try {
      for (let i = (next += batch) - batch; i < size; i = (next += batch) - batch) {
        await c.query('BEGIN');
        for (let k = i; k < Math.min(size, i + batch); k++) {
          const r = toRecord(mergeContact(undefined, contactFields(contact(k))), 'FR');
          const id = Number(
            (
              await c.query<{ id: string }>(
                `INSERT INTO contacts (annuaire_id, nom, prenom, nom_key, prenom_key, data, version, created_at, updated_at)
                 VALUES (1, $1, $2, $3, $4, $5, 1, $6, $6) RETURNING id`,
                [r.nom, r.prenom, r.nomKey, r.prenomKey, r.data, now],
              )
            ).rows[0]!.id,
          );
          await index.put(c, 1, id, r);
        }
        await c.query('COMMIT');
        if ((i / batch) % 40 === 39) console.error(`  ${size}: ${i + batch} contacts, ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
    } finally {
      c.release();
    }
  };
  await Promise.all([writer(), writer(), writer(), writer()]);
  await pool.query('VACUUM ANALYZE');
  const rows = (await pool.query<{ n: string; bytes: string }>(
    "SELECT count(*) AS n, pg_total_relation_size('search_terms') AS bytes FROM search_terms",
  )).rows[0]!;
  console.error(
    `  built ${size} contacts in ${((performance.now() - started) / 1000).toFixed(1)} s: ${Number(rows.n).toLocaleString('en-US')} term rows, search_terms and its indexes ${(Number(rows.bytes) / 2 ** 20).toFixed(0)} MiB`,
  );
  await pool.query('CREATE TABLE bench_stamp (value text)');
  await pool.query('INSERT INTO bench_stamp VALUES ($1)', [STAMP]);
  return { pool, annuaire: 1 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const label = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));

const dbs = [];
for (const size of sizes) dbs.push({ size, ...(await open(size)) });
if (!flag('--no-analyze')) for (const d of dbs) await d.pool.query('ANALYZE');

const explain = option('--explain');
if (explain !== undefined) {
  // The plans of one query's statements on the largest annuaire.
  const d = dbs.at(-1)!;
  const words = queryWords(explain);
  const specs = await index['wordSpecs'](d.pool, d.annuaire, words);
  const plan = planQuery(d.annuaire, specs);
  for (const [what, q] of [['count', plan.count(10_001)], ...plan.levels.map((l) => [`tier ${l}`, plan.tier(l, 20, 0)] as const)] as const) {
    const r = await d.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${q.text}`, q.values);
    console.log(`-- ${what}\n${r.rows.map((x) => x['QUERY PLAN']).join('\n')}\n`);
  }
  process.exit(0);
}

const fmt = (n: number) => n.toLocaleString('en-US');
console.log(`| kind | query | ${sizes.map((s) => `matches ${label(s)}`).join(' | ')} | ${sizes.map((s) => `${label(s)} p50 ms | max`).join(' | ')} | ratio |`);
console.log(`|---|---|${sizes.map(() => '---:|').join('')}${sizes.map(() => '---:|---:|').join('')}---:|`);
for (const q of NAMED_QUERIES) {
  const words = queryWords(q.query);
  const times = dbs.map(() => [] as number[]);
  const totals = dbs.map(() => '');
  for (let k = 0; k < ROUNDS; k++) {
    for (const [i, d] of dbs.entries()) {
      const t0 = performance.now();
      const r = await index.search(d.pool, d.annuaire, words, q.limit ?? 20, q.offset ?? 0);
      times[i]!.push(performance.now() - t0);
      totals[i] = `${r.totalIsLowerBound ? '> ' : ''}${fmt(r.total)}`;
    }
  }
  const p50 = times.map(median);
  const name = `\`${q.query}\`${q.offset ? `, offset ${q.offset}` : ''}${q.limit ? `, limit ${q.limit}` : ''}`;
  console.log(
    `| ${q.kind} | ${name} | ${totals.join(' | ')} | ${p50.map((m, i) => `${m.toFixed(2)} | ${Math.max(...times[i]!).toFixed(2)}`).join(' | ')} | ${(p50.at(-1)! / p50[0]!).toFixed(2)} |`,
  );
}
for (const d of dbs) await d.pool.end();
