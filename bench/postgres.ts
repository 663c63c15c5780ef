/**
 * The op rows on PostgreSQL (issue 14): the bench's annuaire copied into a fresh database
 * (`annuaire-server migrate`'s own code), then the same workloads on one node and on two
 * nodes of that database (the clients split between them), and event propagation across
 * nodes: a write acknowledged by node A → contacts_changed on node B.
 *
 * Called by bench/run.ts with `--postgres URL` (a role that may CREATE DATABASE; each size
 * gets a database of its own, dropped after).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { moveToPostgres } from '@annuaire/server/bench';
import { BENCH_PASSWORD, BENCH_USER, ensureDatabase } from './build-db';
import { ackToEvent, startServer } from './live';
import { BenchConnection, openConnections, runLoad, type Latencies, type RequestSource } from './load';

/** [op, a source for one run, share of the duration] (bench/run.ts's rows). */
export type Workload = [string, () => RequestSource, number];

export interface PostgresOpRow extends Latencies {
  op: string;
  nodes: number;
  clients: number;
  pipeline: number;
}

export interface PostgresResult {
  size: number;
  /** Seconds to copy the annuaire into PostgreSQL (migrate). */
  copySeconds: number;
  ops: PostgresOpRow[];
  /** Why search_contacts was not measured, if it was not. */
  searchSkipped?: string;
  /** Write ack → contacts_changed: listeners on the writer's node, and on the other node. */
  propagation: { listeners: number; sameNode: Latencies; otherNode: Latencies };
}

export interface PostgresBenchOptions {
  url: string;
  size: number;
  durationMs: number;
  /** [clients, pipeline] of each row. */
  configs: [number, number][];
  workloads: (size: number) => Workload[];
  listeners: number;
  log: (s: string) => void;
}

async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');

export async function measurePostgres(opts: PostgresBenchOptions): Promise<PostgresResult> {
  const { log } = opts;
  const name = `annuaire_bench_${randomBytes(4).toString('hex')}`;
  await withAdmin(opts.url, (c) => c.query(`CREATE DATABASE ${name} ENCODING 'UTF8' TEMPLATE template0`));
  const target = new URL(opts.url);
  target.pathname = `/${name}`;
  const url = target.toString();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-bench-pg-'));
  const limits = path.join(dir, 'limits.json');
  writeFileSync(limits, JSON.stringify({ quota: { maxContacts: 100_000_000, maxBytes: 1e12 }, maxConnections: 5000 }));
  const nodes: Awaited<ReturnType<typeof startServer>>[] = [];
  try {
    log(`\n## PostgreSQL: ${opts.size} contacts`);
    const started = performance.now();
    const report = await moveToPostgres(await ensureDatabase(opts.size, log), url);
    const copySeconds = (performance.now() - started) / 1000;
    log(`copied ${report.target.contacts} contacts into ${name} in ${copySeconds.toFixed(1)} s`);
    // ANALYZE, as autovacuum does soon after a bulk load on a live database.
    await withAdmin(url, (c) => c.query('ANALYZE'));

    for (let i = 0; i < 2; i++) nodes.push(await startServer(dir, ['--database', url, '--limits', limits]));
    const ports = nodes.map((n) => n.port);
    const first = await BenchConnection.open(ports[0]!);
    const token = (await first.call('login', { username: BENCH_USER, password: BENCH_PASSWORD })).session_token as string;
    let searchSkipped: string | undefined;
    try {
      await first.call('search_contacts', { query: 'martin', limit: 20 });
    } catch (err) {
      searchSkipped = `search_contacts fails on PostgreSQL here (${(err as Error).message.slice(0, 120)})`;
      log(`search rows skipped: ${searchSkipped}`);
    }
    first.close();

    const ops: PostgresOpRow[] = [];
    const workloads = opts.workloads(opts.size).filter(([op]) => !(searchSkipped && op === 'search_contacts'));
    for (const nodeCount of [1, 2]) {
      // Clients taken in turn from each node: 50 clients on two nodes are 25 on each.
      const pools = await Promise.all(ports.slice(0, nodeCount).map((port) => openConnections(port, Math.ceil(50 / nodeCount))));
      const pool: BenchConnection[] = [];
      for (let i = 0; i < pools[0]!.length; i++) {
        for (const p of pools) {
          const c = p[i];
          if (c) pool.push(c);
        }
      }
      await Promise.all(pool.map((c) => c.call('resume_session', { session_token: token })));
      // Untimed first: the copy's tables and the pools' connections warm (the SQLite rows start on a warm cache too).
      if (nodeCount === 1) for (const [, make] of workloads) await runLoad({ connections: pool, depth: 1, durationMs: 300, source: make() });
      for (const [op, make, share] of workloads) {
        // One client on two nodes is one client on one node: not measured twice.
        for (const [clients, pipeline] of opts.configs.filter(([c]) => nodeCount === 1 || c >= nodeCount)) {
          const r = await runLoad({ connections: pool.slice(0, clients), depth: pipeline, batch: pipeline > 1, durationMs: opts.durationMs * share, source: make() });
          ops.push({ op, nodes: nodeCount, clients, pipeline, ...r.all });
          log(
            `postgres ${nodeCount} node${nodeCount > 1 ? 's' : ' '} ${op.padEnd(16)} ${String(clients).padStart(2)} clients × ${String(pipeline).padStart(2)}: ${r.all.rps.toFixed(0)} req/s  p50 ${ms(r.all.p50)}  p99 ${ms(r.all.p99)}  max ${ms(r.all.max)} ms${r.all.errors ? `  (${r.all.errors} errors)` : ''}`,
          );
        }
      }
      for (const c of pool) c.close();
    }

    const writes = 500;
    const sameNode = await ackToEvent(ports[0]!, opts.listeners, writes);
    const otherNode = await ackToEvent(ports[0]!, opts.listeners, writes, ports[1]!);
    log(`postgres ack → event, ${opts.listeners} listeners on the writer's node: p50 ${ms(sameNode.p50)} ms, p99 ${ms(sameNode.p99)} ms`);
    log(`postgres ack → event, ${opts.listeners} listeners on the other node: p50 ${ms(otherNode.p50)} ms, p99 ${ms(otherNode.p99)} ms`);
    return { size: opts.size, copySeconds, ops, searchSkipped, propagation: { listeners: opts.listeners, sameNode, otherNode } };
  } finally {
    for (const n of nodes) {
      const exited = new Promise((r) => n.child.once('exit', r));
      n.child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
    await withAdmin(opts.url, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

/** The PostgreSQL rows beside SQLite's (`sqliteOps`: the same size's rows from this run, if any). */
export function postgresReport(results: PostgresResult[], sqliteOps: (size: number) => { op: string; clients: number; pipeline: number; rps: number; p99: number }[] = () => []): string[] {
  const out: string[] = [];
  for (const r of results) {
    const sqlite = sqliteOps(r.size);
    out.push(
      `### PostgreSQL: ${r.size.toLocaleString('en')} contacts, one node and two nodes on one database`,
      '',
      `Copied in ${r.copySeconds.toFixed(1)} s. Two nodes: the clients split between them. Every node, PostgreSQL and the load driver share this machine's cores: two nodes here measure the sharing, not the scaling.${r.searchSkipped ? ` search_contacts not measured: ${r.searchSkipped}.` : ''}`,
      '',
      '| action | clients × pipeline | SQLite req/s | p99 ms | PostgreSQL 1 node req/s | p50 ms | p99 ms | 2 nodes req/s | p50 ms | p99 ms |',
      '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    const keys = [...new Set(r.ops.map((o) => `${o.op}|${o.clients}|${o.pipeline}`))];
    for (const key of keys) {
      const [op, clients, pipeline] = key.split('|');
      const at = (nodes: number) => r.ops.find((o) => o.nodes === nodes && `${o.op}|${o.clients}|${o.pipeline}` === key);
      const s = sqlite.find((o) => `${o.op}|${o.clients}|${o.pipeline}` === key);
      const cells = (o: PostgresOpRow | undefined) => (o ? `${o.rps.toFixed(0)}${o.errors ? ` (${o.errors} errors)` : ''} | ${ms(o.p50)} | ${ms(o.p99)}` : '– | – | –');
      out.push(`| ${op} | ${clients} × ${pipeline} | ${s ? s.rps.toFixed(0) : '–'} | ${s ? ms(s.p99) : '–'} | ${cells(at(1))} | ${cells(at(2))} |`);
    }
    const p = r.propagation;
    out.push(
      '',
      `Write ack → \`contacts_changed\` on each of ${p.listeners} other connections of the user (500 writes, one at a time): on the writer's node p50 ${ms(p.sameNode.p50)} ms, p99 ${ms(p.sameNode.p99)} ms; **on the other node p50 ${ms(p.otherNode.p50)} ms, p99 ${ms(p.otherNode.p99)} ms** (NOTIFY at commit, then the journal read back by the listening node).`,
      '',
    );
  }
  return out;
}
