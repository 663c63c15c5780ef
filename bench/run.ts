/**
 * pnpm bench — measures the real server over TCP on synthetic annuaires.
 *
 *   pnpm bench                       10k, 100k and 1M contacts
 *   pnpm bench -- --sizes 10k        one size, a few minutes
 *   pnpm bench -- --duration 3       seconds per measurement (default 5)
 *   pnpm bench -- --update-md        also rewrite BENCHMARKS.md from this run
 *   pnpm bench -- --search-only      search alone (named queries, mixed load at 1 and 50 clients)
 *   pnpm bench -- --baseline DIR     also time the named queries on DIR's server (before/after)
 *   pnpm bench -- --postgres URL     also the op rows on PostgreSQL, one node and two, and events across nodes
 *   pnpm bench -- --postgres URL --postgres-only   those alone
 *
 * Prints a markdown report, writes it with the raw JSON to .bench-results/.
 * Databases are generated once per size and cached under data/bench/ (git-ignored).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DATABASE_FILE, dropPlannerStatistics } from '@annuaire/server/bench';
import { listeningPort } from '@annuaire/test-utils';
import { BENCH_PASSWORD, BENCH_USER, benchRoot, ensureDatabase } from './build-db';
import { contact, contactFields, NAMED_QUERIES, queries, QUERY_KINDS } from './data';
import { BenchConnection, openConnections, runLoad, summarize, type Latencies, type RequestSource } from './load';
import { ensureRedis, redisReference, type RedisResult } from './redis';
import { measureNoisyNeighbour, noisyReport, type NoisyNeighbour } from './noisy';
import { measureLive, type LiveResult } from './live';
import { measureTransfer, transferReport, type TransferRow } from './transfer';
import { measurePostgres, postgresReport, type PostgresResult, type Workload } from './postgres';
import type { FrameTimes, KeyTimes } from './tui';

const root = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10k,100k,1m' },
    duration: { type: 'string', default: '5' },
    'update-md': { type: 'boolean', default: false },
    'no-redis': { type: 'boolean', default: false },
    /** Skip the noisy-neighbour row (another account's p99 while one account imports, exports and floods). */
    'no-noisy': { type: 'boolean', default: false },
    /** Skip the import/export rows (contacts/s and peak RSS for a vCard and a CSV file). */
    'no-transfer': { type: 'boolean', default: false },
    /** Sizes of the import/export rows (default 100k; 1m takes about half an hour on two cores). */
    'transfer-sizes': { type: 'string', default: '100k' },
    /** Only the search measurements (each named query, then the mixed load at 1 and 50 clients). */
    'search-only': { type: 'boolean', default: false },
    /**
     * Another checkout (e.g. the commit before a change, with this bench/data.ts): its server runs
     * beside this one on the same data, and each named query is timed on both, alternately.
     */
    baseline: { type: 'string' },
    /**
     * A PostgreSQL server (postgres://role:password@host/db, a role that may CREATE DATABASE):
     * the op rows run there too, on one node and on two, with event propagation across nodes.
     */
    postgres: { type: 'string' },
    /** With --postgres: the PostgreSQL rows alone (no SQLite rows, Redis, noisy, transfer or live rows). */
    'postgres-only': { type: 'boolean', default: false },
    /** Render the report of an earlier run's JSON instead of measuring. */
    'from-json': { type: 'string' },
  },
  allowPositionals: true,
  // `pnpm bench -- --sizes 10k` passes the "--" through.
  args: process.argv.slice(2).filter((a) => a !== '--'),
});
const sizes = args.sizes!.split(',').map(parseSize);
const durationMs = Number(args.duration) * 1000;
const log = (s: string) => process.stderr.write(s + '\n');

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`bad size "${s}" (say 10k, 100k, 1m)`);
  return Math.round(Number(m[1]) * (m[2]?.toLowerCase() === 'm' ? 1e6 : m[2]?.toLowerCase() === 'k' ? 1e3 : 1));
}
const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));

/** The client configurations of the issue: 1 and 50 clients, unpipelined and 16 deep. */
const CONFIGS: [number, number][] = [
  [1, 1],
  [50, 1],
  [1, 16],
  [50, 16],
];

interface NamedQueryResult {
  kind: string;
  query: string;
  limit: number;
  offset: number;
  total: number;
  totalIsLowerBound: boolean;
  p50: number;
  p99: number;
  max: number;
  /** p50 of the same query repeated, its count cached by the server. */
  cachedP50: number;
  /** The same on the --baseline server, measured alternately with this one. */
  before?: Omit<NamedQueryResult, 'kind' | 'query' | 'limit' | 'offset' | 'before'>;
}

interface OpResult extends Latencies {
  op: string;
  clients: number;
  pipeline: number;
}

interface SizeResult {
  size: number;
  startupMs: number;
  ops: OpResult[];
  searchByKind: Record<string, Latencies>;
  /** Each of the issue's queries alone: its match count and round trip (1 client). */
  namedQueries?: NamedQueryResult[];
  rssMb: number;
  rssIdle1000Mb: number;
  peakRssMb: number;
  loginStorm: { idle: Latencies; storm: Latencies; logins: number };
  dbMb: number;
  /** What bench/tui.ts measured (the 100k annuaire only). */
  tui?: FrameTimes;
}

// ---------------------------------------------------------------- the server process

interface ServerProcess {
  child: ChildProcess;
  port: number;
  startupMs: number;
}

async function startServerProcess(dataDir: string, checkout = root): Promise<ServerProcess> {
  const cli = path.join(checkout, 'packages/server/dist/cli.js');
  const started = performance.now();
  // A --baseline checkout may predate quotas (and their flag).
  // The bench's annuaires outgrow the default quotas (100,000 contacts, 100 MiB): lifted by a limits file.
  const limitsFile = `${dataDir}.limits.json`;
  writeFileSync(limitsFile, JSON.stringify({ quota: { maxContacts: 100_000_000, maxBytes: 1e12 } }));
  const quota = checkout === root ? ['--limits', limitsFile] : [];
  const child = spawn(process.execPath, [cli, '--port', '0', '--data-dir', dataDir, '--quiet', '--max-connections', '5000', '--rate-limit', '1000000000', ...quota], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await listeningPort(child);
  // Start-up ends when a client gets its greeting.
  const c = await BenchConnection.open(port);
  const startupMs = performance.now() - started;
  c.close();
  child.stdout!.resume();
  return { child, port, startupMs };
}

async function stopServerProcess(s: ServerProcess): Promise<void> {
  const exited = new Promise((resolve) => s.child.once('exit', resolve));
  s.child.kill('SIGTERM');
  await exited;
}

function rssMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

// ---------------------------------------------------------------- workloads

const line = (o: Record<string, unknown>) => JSON.stringify(o) + '\n';

async function loggedIn(port: number, n: number, token: string): Promise<BenchConnection[]> {
  const conns = await openConnections(port, n);
  await Promise.all(conns.map((c) => c.call('resume_session', { session_token: token })));
  return conns;
}

function searchSource(size: number): RequestSource {
  const pool = queries(size, 5000).map(({ kind, query }) => ({
    line: line({ id: 1, action: 'search_contacts', query, limit: 20 }),
    tag: QUERY_KINDS.indexOf(kind),
  }));
  return (k) => pool[k % pool.length]!;
}

function getSource(size: number): RequestSource {
  // A fixed stride walks every id without a random generator in the loop.
  return (k) => ({ line: line({ id: 1, action: 'get_contact', contact_id: 1 + ((k * 7919) % size) }) });
}

/** New contacts, numbered on from the annuaire's generated ones. */
function addSource(size: number, state: { added: number }): RequestSource {
  return () => {
    const i = size + state.added++;
    return { line: line({ id: 1, action: 'add_contact', ...contactFields(contact(i)) }) };
  };
}

/**
 * Each connection updates its own 64 contacts round-robin, so pipelined updates never
 * race, and versions are tracked across runs (every update succeeds).
 */
function updateSource(size: number, versions: Map<number, number>, run: number): RequestSource {
  const perConn = 64;
  const counters = new Map<number, number>();
  return (_k, conn) => {
    const n = counters.get(conn) ?? 0;
    counters.set(conn, n + 1);
    const id = 1 + ((run * 50 * perConn + conn * perConn + (n % perConn)) % size);
    const version = versions.get(id) ?? 1;
    versions.set(id, version + 1);
    return { line: line({ id: 1, action: 'update_contact', contact_id: id, version, fonction: `Fonction ${n}` }) };
  };
}

function loginSource(): RequestSource {
  const l = line({ id: 1, action: 'login', username: BENCH_USER, password: BENCH_PASSWORD });
  return () => ({ line: l });
}

/** The op rows' workloads on an annuaire of `size` (each update run continues the versions of the last). */
function opWorkloads(size: number): Workload[] {
  const versions = new Map<number, number>();
  const added = { added: 0 };
  let run = 0;
  return [
    ['search_contacts', () => searchSource(size), 1],
    ['get_contact', () => getSource(size), 1],
    ['add_contact', () => addSource(size, added), 1],
    ['update_contact', () => updateSource(size, versions, run++), 1],
    // argon2 makes logins slow by design: shorter runs say as much.
    ['login', () => loginSource(), 0.5],
  ];
}

/**
 * Each named query, sequentially on one connection. Repeats of one query hit the server's
 * count cache, which any write to the annuaire empties; so each query is timed both ways:
 * repeated (cached) and right after a write to the annuaire (what typing a new query costs).
 */
async function measureNamedQueries(c: BenchConnection, baseline?: BenchConnection): Promise<NamedQueryResult[]> {
  const out: NamedQueryResult[] = [];
  const on = async (conn: BenchConnection, params: Record<string, unknown>) => {
    let version = ((await conn.call('get_contact', { contact_id: 1 })).contact as { version: number }).version;
    const timed = async () => {
      const t0 = performance.now();
      const reply = await conn.call('search_contacts', params);
      return { ms: performance.now() - t0, reply };
    };
    const cold: number[] = [];
    let first: Record<string, unknown> | undefined;
    // 15 samples, or 5 when a search takes more than 50 ms (a slow baseline would take minutes).
    for (let k = 0; k < (cold[0] !== undefined && cold[0] > 50 ? 5 : 15); k++) {
      version = ((await conn.call('update_contact', { contact_id: 1, version, fonction: `Fonction ${version}` })).contact as { version: number }).version;
      const { ms, reply } = await timed();
      cold.push(ms);
      first ??= reply;
    }
    const warm: number[] = [];
    const until = performance.now() + Math.min(300, durationMs / 10);
    const enough = cold[0]! > 50 ? 5 : 20;
    while (warm.length < enough || (performance.now() < until && warm.length < 2000)) warm.push((await timed()).ms);
    const l = summarize(cold, 0, 1);
    return { total: first!.total as number, totalIsLowerBound: first!.total_is_lower_bound === true, p50: l.p50, p99: l.p99, max: l.max, cachedP50: summarize(warm, 0, 1).p50 };
  };
  for (const { kind, query, limit = 20, offset = 0 } of NAMED_QUERIES) {
    const params = { query, limit, offset };
    // Alternately, so that whatever else the machine does weighs on both alike.
    const before = baseline ? await on(baseline, params) : undefined;
    const r = await on(c, params);
    out.push({ kind, query, limit, offset, ...r, before });
    log(
      `search ${JSON.stringify(query).padEnd(14)} ${kind.padEnd(24)} ${String(r.total).padStart(8)} matches  after a write: p50 ${fmt(r.p50)}  max ${fmt(r.max)} ms; repeated: p50 ${fmt(r.cachedP50)} ms` +
        (before ? `  | baseline ${before.total} matches, p50 ${fmt(before.p50)}, max ${fmt(before.max)}, repeated ${fmt(before.cachedP50)} ms` : ''),
    );
  }
  return out;
}

/** The --baseline checkout's server on its own copy of an annuaire of `size`, built by its own code. */
async function startBaseline(size: number): Promise<ServerProcess> {
  const dir = path.resolve(args.baseline!);
  const { ensureDatabase: ensureBaseline } = (await import(path.join(dir, 'bench/build-db.ts'))) as typeof import('./build-db');
  const source = await ensureBaseline(size, (s) => log(`baseline: ${s}`));
  const runDir = path.join(source, '..', `run-${size}`);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  copyFileSync(path.join(source, DATABASE_FILE), path.join(runDir, DATABASE_FILE));
  // As the server leaves it: without ANALYZE's planner statistics (older cached databases have them).
  dropPlannerStatistics(runDir);
  return startServerProcess(runDir, dir);
}

// ---------------------------------------------------------------- one annuaire size

async function benchSize(size: number): Promise<SizeResult> {
  log(`\n## ${label(size)} contacts`);
  const source = await ensureDatabase(size, log);
  const runDir = path.join(benchRoot(), `run-${size}`);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  copyFileSync(path.join(source, DATABASE_FILE), path.join(runDir, DATABASE_FILE));
  // As the server leaves it: without ANALYZE's planner statistics (older cached databases have them).
  dropPlannerStatistics(runDir);
  const dbMb = Number(readFileSync(path.join(runDir, DATABASE_FILE)).byteLength) / 1e6;

  const server = await startServerProcess(runDir);
  const baseline = args.baseline ? await startBaseline(size) : undefined;
  log(`start-up: ${server.startupMs.toFixed(0)} ms`);
  try {
    const first = await BenchConnection.open(server.port);
    const token = (await first.call('login', { username: BENCH_USER, password: BENCH_PASSWORD })).session_token as string;
    first.close();
    const pool = await loggedIn(server.port, 50, token);

    let baselineConn: BenchConnection | undefined;
    if (baseline) {
      baselineConn = await BenchConnection.open(baseline.port);
      await baselineConn.call('login', { username: BENCH_USER, password: BENCH_PASSWORD });
    }
    const namedQueries = await measureNamedQueries(pool[0]!, baselineConn);
    baselineConn?.close();
    if (baseline) await stopServerProcess(baseline);
    const ops: OpResult[] = [];
    let searchByKind: Record<string, Latencies> = {};
    const workloads = opWorkloads(size);
    for (const [op, make, share] of args['search-only'] ? workloads.slice(0, 1) : workloads) {
      for (const [clients, pipeline] of args['search-only'] ? CONFIGS.filter(([, p]) => p === 1) : CONFIGS) {
        const r = await runLoad({
          connections: pool.slice(0, clients),
          depth: pipeline,
          // Pipelined as redis-benchmark -P: a batch in one write, the next when all its replies are in.
          batch: pipeline > 1,
          durationMs: durationMs * share,
          source: make(),
          tags: op === 'search_contacts' ? QUERY_KINDS.length : 1,
        });
        ops.push({ op, clients, pipeline, ...r.all });
        if (op === "search_contacts" && clients === 1 && pipeline === 1) {
          searchByKind = Object.fromEntries(QUERY_KINDS.map((k, i) => [k, r.byTag[i]!]));
        }
        log(`${op.padEnd(16)} ${String(clients).padStart(2)} clients × ${String(pipeline).padStart(2)}: ${fmt(r.all.rps, 0)} req/s  p50 ${fmt(r.all.p50)}  p99 ${fmt(r.all.p99)}  max ${fmt(r.all.max)} ms${r.all.errors ? `  (${r.all.errors} errors)` : ''}`);
      }
    }
    const rss = rssMb(server.child.pid!);
    if (args['search-only']) {
      const none = summarize([], 0, 1);
      return { size, startupMs: server.startupMs, ops, searchByKind, namedQueries, rssMb: rss, rssIdle1000Mb: NaN, peakRssMb: rssMb(server.child.pid!, 'VmHWM'), loginStorm: { idle: none, storm: none, logins: 0 }, dbMb };
    }

    // Login storm: 4 searching clients, alone and then beside 20 clients logging in again and again.
    const searchers = pool.slice(0, 4);
    const idle = (await runLoad({ connections: searchers, depth: 1, durationMs, source: searchSource(size) })).all;
    const stormers = await openConnections(server.port, 20);
    let logins = 0;
    let storming = true;
    const storm = Promise.all(
      stormers.map(async (c) => {
        while (storming) {
          // Past five checks in flight for one user the throttle refuses (too_many_attempts): wait as told.
          const refused = await c.call('login', { username: BENCH_USER, password: BENCH_PASSWORD }).then(
            () => false,
            () => true,
          );
          if (refused) await new Promise((r) => setTimeout(r, 50));
          else logins++;
        }
      }),
    );
    await new Promise((r) => setTimeout(r, 300));
    const during = (await runLoad({ connections: searchers, depth: 1, durationMs, source: searchSource(size) })).all;
    storming = false;
    await storm;
    for (const c of stormers) c.close();
    log(`login storm: search p99 ${fmt(during.p99)} ms vs idle ${fmt(idle.p99)} ms (${logins} logins)`);

    // 1,000 idle connections.
    for (const c of pool) c.close();
    const idleConns = await openConnections(server.port, 1000, 100);
    await new Promise((r) => setTimeout(r, 500));
    const rss1000 = rssMb(server.child.pid!);
    for (const c of idleConns) c.close();
    const peak = rssMb(server.child.pid!, 'VmHWM');
    log(`RSS: ${fmt(rss, 0)} MB after load, ${fmt(rss1000, 0)} MB with 1,000 idle connections, peak ${fmt(peak, 0)} MB`);

    let tui: FrameTimes | undefined;
    const tuiHook = path.join(import.meta.dirname, 'tui.ts');
    if (existsSync(tuiHook) && size === 100_000) {
      // Owned by the TUI: keystroke-to-frame while filtering this annuaire.
      const mod = (await import(tuiHook)) as { measureKeystrokes?: (o: object) => Promise<FrameTimes> };
      tui = await mod.measureKeystrokes?.({ port: server.port, username: BENCH_USER, password: BENCH_PASSWORD, size });
    }

    return {
      size,
      startupMs: server.startupMs,
      ops,
      searchByKind,
      namedQueries,
      rssMb: rss,
      rssIdle1000Mb: rss1000,
      peakRssMb: peak,
      loginStorm: { idle, storm: during, logins },
      dbMb,
      tui,
    };
  } finally {
    await stopServerProcess(server);
    rmSync(runDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- report

function fmt(n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

function report(results: SizeResult[], redis: RedisResult[] | string, when: string): string {
  const m = machine();
  const out: string[] = [];
  out.push(`Run ${when} on ${m.cpu}, ${m.memoryGb} GB RAM, ${m.os}, Node ${m.node}. Client and server share the machine, as with redis-benchmark.`, '');
  const redisFor = (c: number, p: number) => (typeof redis === 'string' ? undefined : redis.find((r) => r.clients === c && r.pipeline === p));
  if (typeof redis === 'string') out.push(`Redis reference skipped: ${redis}.`, '');
  else {
    out.push('### Reference: redis-benchmark GET', '', '| clients × pipeline | req/s | p50 ms | p99 ms |', '|---|---:|---:|---:|');
    for (const r of redis) out.push(`| ${r.clients} × ${r.pipeline} | ${fmt(r.rps, 0)} | ${fmt(r.p50)} | ${fmt(r.p99)} |`);
    out.push('');
  }
  out.push(...targets(results, redisFor));
  for (const r of results) {
    out.push(`### ${label(r.size)} contacts in one annuaire (database ${fmt(r.dbMb, 0)} MB)`, '');
    out.push('| action | clients × pipeline | req/s | % of Redis GET | p50 ms | p99 ms | max ms |', '|---|---|---:|---:|---:|---:|---:|');
    for (const o of r.ops) {
      const ref = redisFor(o.clients, o.pipeline);
      const ratio = ref ? `${fmt((100 * o.rps) / ref.rps, 1)}%` : '–';
      out.push(`| ${o.op} | ${o.clients} × ${o.pipeline} | ${fmt(o.rps, 0)} | ${ratio} | ${fmt(o.p50)} | ${fmt(o.p99)} | ${fmt(o.max)} |${o.errors ? ` ${o.errors} errors` : ''}`);
    }
    out.push('', 'search_contacts by kind of query (1 client, unpipelined: the service time):', '', '| query kind | p50 ms | p99 ms | max ms |', '|---|---:|---:|---:|');
    for (const [kind, l] of Object.entries(r.searchByKind)) out.push(`| ${kind} | ${fmt(l.p50)} | ${fmt(l.p99)} | ${fmt(l.max)} |`);
    out.push('');
    if (r.namedQueries) out.push(...namedQueryReport(r.namedQueries));
    out.push(`- server start-up (spawn to first greeting): **${fmt(r.startupMs, 0)} ms**`);
    out.push(`- RSS after the load: **${fmt(r.rssMb, 0)} MB**; with 1,000 idle connections: **${fmt(r.rssIdle1000Mb, 0)} MB**; peak ${fmt(r.peakRssMb, 0)} MB`);
    out.push(
      `- search p99 (4 clients) during a login storm (20 clients logging in, ${r.loginStorm.logins} logins): **${fmt(r.loginStorm.storm.p99)} ms** vs idle **${fmt(r.loginStorm.idle.p99)} ms** (×${fmt(r.loginStorm.storm.p99 / r.loginStorm.idle.p99, 1)})`,
    );
    out.push('');
    if (r.tui !== undefined) out.push(...tuiReport(r.tui));
  }
  return out.join('\n');
}

function namedQueryReport(rows: NamedQueryResult[]): string[] {
  if (rows.some((q) => q.before)) return beforeAfterReport(rows);
  return [
    'Each query alone (1 client, round trip): 15 times right after a write to the annuaire (a new query, nothing cached), then repeated (the count cached). Matches as the server reports them, « ≥ » when the total is a lower bound:',
    '',
    '| kind | query | limit, offset | matches | after a write p50 ms | max ms | repeated p50 ms |',
    '|---|---|---|---:|---:|---:|---:|',
    ...rows.map(
      (q) =>
        `| ${q.kind} | \`${q.query}\` | ${q.limit}, ${q.offset} | ${q.totalIsLowerBound ? '≥ ' : ''}${fmt(q.total, 0)} | ${fmt(q.p50)} | ${fmt(q.max)} | ${fmt(q.cachedP50)} |`,
    ),
    '',
  ];
}

function beforeAfterReport(rows: NamedQueryResult[]): string[] {
  const matches = (q: { total: number; totalIsLowerBound: boolean }) => `${q.totalIsLowerBound ? '> ' : ''}${fmt(q.total, 0)}`;
  return [
    'Each query alone, on the baseline server (before) and this one (after), alternately in the same run (1 client, round trip): 15 times right after a write to the annuaire (nothing cached: what a new query costs; 5 times when a search takes over 50 ms), then repeated (count cached). « > » marks a total that is a lower bound:',
    '',
    '| kind | query | limit, offset | matches before | matches after | before p50 ms | after p50 ms | before max | after max | before repeated p50 | after repeated p50 |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (q) =>
        `| ${q.kind} | \`${q.query}\` | ${q.limit}, ${q.offset} | ${q.before ? matches(q.before) : '–'} | ${matches(q)} | ${fmt(q.before?.p50)} | ${fmt(q.p50)} | ${fmt(q.before?.max)} | ${fmt(q.max)} | ${fmt(q.before?.cachedP50)} | ${fmt(q.cachedP50)} |`,
    ),
    '',
  ];
}

function tuiReport(t: FrameTimes): string[] {
  const row = (what: string, k: KeyTimes) =>
    `| ${what} | ${k.n} | ${fmt(k.p50)} | ${fmt(k.p95)} | ${fmt(k.max)} | ${k.cpuP50 === undefined ? '–' : `${fmt(k.cpuP50)} / ${fmt(k.cpuP95)}`} |`;
  return [
    `TUI keystroke-to-frame on this annuaire (${fmt(t.contacts, 0)} contacts by then; React ${t.react} build, ${t.renderer}, against this server; key written → first frame showing its effect; CPU is the TUI process's, the server's excluded):`,
    '',
    '| key | n | p50 ms | p95 ms | max ms | CPU p50 / p95 ms |',
    '|---|---:|---:|---:|---:|---:|',
    row('↓/↑ on the home menu (baseline)', t.menu),
    row('↓ in the list (pages load as needed)', t.down),
    row('PgDn → first frame', t.pageDown),
    row('PgDn → its rows loaded and shown', t.pageDownLoaded),
    row('↑ near the end (rows loaded)', t.up),
    row('filter key → query echoed', t.filterEcho),
    row('filter key → search results shown', t.filterResults),
    '',
    `- opening the list (first page shown): **${fmt(t.openMs, 1)} ms**; End (one key, cold): first frame **${fmt(t.endMs, 1)} ms**, last rows loaded and shown ${fmt(t.endLoadedMs, 1)} ms`,
    '',
  ];
}

/** The issue's targets against the largest annuaire of the run (the TUI's on the annuaire it was measured on). */
function targets(results: SizeResult[], redisFor: (c: number, p: number) => RedisResult | undefined): string[] {
  const r = results.reduce<SizeResult | undefined>((a, b) => (!a || b.size > a.size ? b : a), undefined);
  if (!r) return [];
  const op = (name: string, c: number, p: number) => r.ops.find((o) => o.op === name && o.clients === c && o.pipeline === p);
  const row = (what: string, target: string, got: string, ok: boolean | undefined) =>
    `| ${what} | ${target} | ${got} | ${ok === undefined ? '–' : ok ? 'met' : '**missed**'} |`;
  const search = op('search_contacts', 50, 1);
  const ratio = (p: number) => {
    const get = op('get_contact', 50, p);
    const ref = redisFor(50, p);
    return get && ref ? (100 * get.rps) / ref.rps : undefined;
  };
  const r1 = ratio(1);
  const r16 = ratio(16);
  const storm = r.loginStorm.storm.p99 / r.loginStorm.idle.p99;
  const tuiSize = results.find((x) => x.tui !== undefined);
  const tui = tuiSize?.tui;
  const tuiRow = (what: string, k: KeyTimes | undefined) =>
    row(`TUI keystroke-to-frame (${label(tuiSize!.size)}): ${what}`, '≤ 16 ms', `p50 ${fmt(k?.p50)} ms, p95 ${fmt(k?.p95)} ms`, k && k.p95 <= 16);
  return [
    `### Targets (${label(r.size)} contacts)`,
    '',
    '| target | wanted | this run | |',
    '|---|---|---|---|',
    row('search_contacts p99, 50 clients', '≤ 5 ms', `${fmt(search?.p99)} ms`, search && search.p99 <= 5),
    row('get_contact vs Redis GET, 50 clients', '≥ 60%', r1 === undefined ? '–' : `${fmt(r1, 1)}%`, r1 === undefined ? undefined : r1 >= 60),
    row('get_contact vs Redis GET, 50 clients × 16', '≥ 25%', r16 === undefined ? '–' : `${fmt(r16, 1)}%`, r16 === undefined ? undefined : r16 >= 25),
    row('search p99 in a login storm vs idle', '≤ 2×', `×${fmt(storm, 1)}`, storm <= 2),
    row('start-up', '< 1 s', `${fmt(r.startupMs, 0)} ms`, r.startupMs < 1000),
    row('RSS with 1,000 idle connections', '< 200 MB', `${fmt(r.rssIdle1000Mb, 0)} MB`, r.rssIdle1000Mb < 200),
    ...(tui === undefined
      ? [row('TUI keystroke-to-frame (100k)', '≤ 16 ms', 'not measured (needs bench/tui.ts and the 100k annuaire)', undefined)]
      : [
          tuiRow('filter key → results shown', tui.filterResults),
          tuiRow('filter key → query echoed', tui.filterEcho),
          tuiRow('↓ in the list', tui.down),
          tuiRow('PgDn', tui.pageDown),
        ]),
    '',
  ];
}

// ---------------------------------------------------------------- main

async function main() {
  if (args['from-json']) {
    const saved = JSON.parse(readFileSync(args['from-json'], 'utf8')) as {
      when: string;
      redis: RedisResult[] | string;
      results: SizeResult[];
      noisy?: NoisyNeighbour | string;
      transfer?: (TransferRow | string)[];
      postgres?: PostgresResult[];
    };
    return publish(
      report(saved.results, saved.redis, saved.when) + noisyReport(saved.noisy).join('\n') + transferReport(saved.transfer).join('\n') + pgReport(saved.postgres ?? [], saved.results).join('\n'),
      undefined,
      saved.when,
    );
  }
  const when = new Date().toISOString();
  const pgOnly = args['postgres-only'];
  if (pgOnly && !args.postgres) throw new Error('--postgres-only needs --postgres URL');
  let redis: RedisResult[] | string = pgOnly ? 'not run with --postgres-only' : 'disabled with --no-redis';
  if (!args['no-redis'] && !args['search-only'] && !pgOnly) {
    const why = ensureRedis(log);
    if (why) {
      log(`Redis reference skipped: ${why}`);
      redis = why;
    } else {
      log('redis-benchmark GET reference…');
      redis = await redisReference(CONFIGS, (c, p) => Math.max(100_000, c * p * 20_000));
      for (const r of redis) log(`redis GET ${r.clients} × ${r.pipeline}: ${fmt(r.rps, 0)} req/s`);
    }
  }
  const results: SizeResult[] = [];
  for (const size of pgOnly ? [] : sizes) results.push(await benchSize(size));
  const noisy = args['no-noisy'] || args['search-only'] || pgOnly ? undefined : measureNoisyNeighbour(Math.max(5, durationMs / 500), log);
  const transfer = args['no-transfer'] || args['search-only'] || pgOnly ? undefined : measureTransfer(args['transfer-sizes']!.split(',').map(parseSize), log);
  const live = args['search-only'] || pgOnly ? undefined : await measureLive({ durationMs, listeners: 50, log });
  const postgres: PostgresResult[] = [];
  for (const size of args.postgres ? sizes : []) {
    postgres.push(await measurePostgres({ url: args.postgres!, size, durationMs, configs: CONFIGS, workloads: opWorkloads, listeners: 50, log }));
  }

  publish(
    report(results, redis, when) + noisyReport(noisy).join('\n') + transferReport(transfer).join('\n') + liveReport(live).join('\n') + pgReport(postgres, results).join('\n'),
    JSON.stringify({ when, machine: machine(), redis, results, noisy, transfer, live, postgres }, null, 2),
    when,
  );
}

/** The PostgreSQL rows beside this run's SQLite rows of the same size. */
function pgReport(postgres: PostgresResult[], results: SizeResult[]): string[] {
  return postgresReport(postgres, (size) => results.find((r) => r.size === size)?.ops ?? []);
}

/** Live events (issue 13): write ack → event on another connection, and what fan-out costs the write path. */
function liveReport(r: LiveResult | undefined): string[] {
  if (!r) return [];
  return [
    '### Live events',
    '',
    `Write ack → \`contacts_changed\` on each of ${r.listeners} other connections of the user: p50 ${fmt(r.ackToEvent.p50)} ms, p99 ${fmt(r.ackToEvent.p99)} ms.`,
    '',
    '| add_contact, one writer | listeners | req/s | p50 ms | p99 ms | server CPU per write µs |',
    '|---|---:|---:|---:|---:|---:|',
    ...r.addRate.map((a) => `| ${a.pipeline === 1 ? 'unpipelined' : `${a.pipeline} deep`} | ${a.listeners} | ${fmt(a.rps, 0)} | ${fmt(a.p50)} | ${fmt(a.p99)} | ${fmt(a.serverCpuPerWriteUs, 0)} |`),
    '',
  ];
}

function publish(md: string, json: string | undefined, when: string) {
  process.stdout.write('\n' + md + '\n');
  const dir = path.join(root, '.bench-results');
  mkdirSync(dir, { recursive: true });
  if (json !== undefined) {
    const stamp = when.replace(/[:.]/g, '-');
    writeFileSync(path.join(dir, `bench-${stamp}.json`), json);
    writeFileSync(path.join(dir, 'latest.json'), json);
    log(`\nwritten: .bench-results/bench-${stamp}.json, .bench-results/latest.md`);
  }
  writeFileSync(path.join(dir, 'latest.md'), md);
  if (args['update-md']) {
    const file = path.join(root, 'BENCHMARKS.md');
    const prev = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const marker = '<!-- bench:results -->';
    const head = prev.includes(marker) ? prev.slice(0, prev.indexOf(marker)) : '# Benchmarks\n\n';
    writeFileSync(file, `${head}${marker}\n${md}\n`);
    log('BENCHMARKS.md updated');
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log(String((err as Error)?.stack ?? err));
    process.exit(1);
  },
);
