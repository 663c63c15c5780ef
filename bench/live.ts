/**
 * Live events: what they cost and how fast they come (issue 13).
 *
 *   tsx bench/live.ts [--duration 3] [--listeners 50] [--json FILE]
 *
 * On a built server process over TCP, one user:
 * - ack → event: a writer adds contacts one at a time; each of `listeners` other connections of
 *   the user times the contacts_changed for that write against the writer's ack (same clock:
 *   one process). p50/p99 over every (write, listener) pair.
 * - the write path: add_contact/s from one writer, unpipelined and 16 deep, with no other
 *   connection and with `listeners` connections receiving every change.
 * Exported as measureLive() for bench/run.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { connectTcp, listeningPort, onLines } from '@annuaire/test-utils';
import { summarize, type Latencies } from './load';

const root = path.resolve(import.meta.dirname, '..');
const PASSWORD = 'motdepasse-bench';

export interface LiveResult {
  listeners: number;
  /** Writer's ack to the event's arrival on another connection, ms. */
  ackToEvent: Latencies;
  /** add_contact/s from one writer: [pipeline depth, listeners, req/s]. */
  addRate: { pipeline: number; listeners: number; rps: number; p50: number; p99: number; serverCpuPerWriteUs: number; resyncs: number }[];
}

/** A raw connection: reply lines to a queue of waiters in order, event lines to a callback. */
class Line {
  private readonly waiters: ((line: string) => void)[] = [];
  onEvent: (line: string, at: number) => void = () => {};

  private constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    // A line arrives when its chunk does: one clock reading for all the lines of a chunk.
    let at: number | undefined;
    onLines(
      socket,
      (line) => {
        at ??= performance.now();
        if (line.startsWith('{"event"')) this.onEvent(line, at);
        else this.waiters.shift()?.(line);
      },
      () => (at = undefined),
    );
    socket.on('error', () => {});
  }

  static async open(port: number): Promise<Line> {
    return new Line(await connectTcp(port));
  }

  /** Sends request lines; resolves with each reply's arrival time, in order. */
  send(requests: object[]): Promise<number>[] {
    const out = requests.map(() => new Promise<number>((resolve) => this.waiters.push(() => resolve(performance.now()))));
    this.socket.write(requests.map((r, i) => JSON.stringify({ id: i + 1, ...r }) + '\n').join(''));
    return out;
  }

  async call(action: string, params: object = {}): Promise<Record<string, unknown>> {
    let text = '';
    const done = new Promise<void>((resolve) => this.waiters.push((line) => ((text = line), resolve())));
    this.socket.write(JSON.stringify({ id: 1, action, ...params }) + '\n');
    await done;
    const reply = JSON.parse(text) as { ok: boolean; result: Record<string, unknown> };
    if (!reply.ok) throw new Error(`${action}: ${text}`);
    return reply.result;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The built server on `dataDir` (and `extraArgs`: `--database URL` for a PostgreSQL node), its limits lifted for the bench. */
export async function startServer(dataDir: string, extraArgs: string[] = []): Promise<{ child: ChildProcess; port: number }> {
  const cli = path.join(root, 'packages/server/dist/cli.js');
  const child = spawn(process.execPath, [cli, '--port', '0', '--data-dir', dataDir, '--quiet', '--rate-limit', '1000000000', '--max-contacts', '100000000', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await listeningPort(child);
  child.stdout!.resume();
  return { child, port };
}

/**
 * A writer logged in, and `n` listeners on its session (resume_session: n logins at once would
 * meet the login throttle), on `listenerPort` (another node of the same database) if given.
 */
async function connections(port: number, username: string, n: number, listenerPort = port): Promise<{ writer: Line; others: Line[] }> {
  const writer = await Line.open(port);
  const { session_token } = await writer.call('login', { username, password: PASSWORD });
  const others = await Promise.all(
    Array.from({ length: n }, async () => {
      const c = await Line.open(listenerPort);
      await c.call('resume_session', { session_token });
      return c;
    }),
  );
  return { writer, others };
}

let userCount = 0;
export async function newUser(port: number): Promise<string> {
  const username = `live${process.pid % 1000}x${++userCount}`;
  const c = await Line.open(port);
  await c.call('create_account', { username, password: PASSWORD });
  c.close();
  return username;
}

const contact = (i: number) => ({ action: 'add_contact', nom: `Live${i}`, prenom: 'Bench', email: `live${i}@example.com`, notes: 'n'.repeat(80) });

/** CPU time (user + system) the process has used, in ms, from /proc (Linux); NaN elsewhere. */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return NaN;
  }
}

/**
 * One writer adding contacts for `durationMs`, `depth` in flight (as one write per batch). The
 * server's CPU per write separates its fan-out cost from this client's, which shares the machine.
 */
async function addRate(port: number, serverPid: number, listeners: number, depth: number, durationMs: number) {
  const username = await newUser(port);
  const { writer, others } = await connections(port, username, listeners);
  // Each listener's last seq: told of every write once it reaches the writer's count.
  const last = others.map(() => 0);
  let resyncs = 0;
  others.forEach((o, k) => {
    o.onEvent = (line) => {
      const m = /^\{"event":"(contacts_changed|resync_required)","seq":(\d+)/.exec(line);
      if (m?.[1] === 'resync_required') resyncs++;
      if (m) last[k] = Number(m[2]);
    };
  });
  const samples: number[] = [];
  const cpuBefore = cpuMs(serverPid);
  const started = performance.now();
  let i = 0;
  while (performance.now() - started < durationMs) {
    const sent = performance.now();
    const acks = writer.send(Array.from({ length: depth }, () => contact(i++)));
    for (const at of await Promise.all(acks)) samples.push(at - sent);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuPerWriteUs = ((cpuMs(serverPid) - cpuBefore) * 1000) / i;
  // Every listener is told of every write (checked, or the rate would flatter the fan-out).
  await writer.call('ping');
  const deadline = performance.now() + 10_000;
  while (last.some((s) => s < i) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (last.some((s) => s < i)) throw new Error(`listeners at seq ${Math.min(...last)} after ${i} writes`);
  for (const c of [writer, ...others]) c.close();
  const l = summarize(samples, 0, seconds);
  return { pipeline: depth, listeners, rps: i / seconds, p50: l.p50, p99: l.p99, serverCpuPerWriteUs: cpuPerWriteUs, resyncs };
}

/** Each write's ack against its event's arrival on every listener (connected to `listenerPort`: another node, if given). */
export async function ackToEvent(port: number, listeners: number, writes: number, listenerPort = port): Promise<Latencies> {
  const username = await newUser(port);
  const { writer, others } = await connections(port, username, listeners, listenerPort);
  const eventAt = new Map<number, number[]>();
  for (const o of others) {
    o.onEvent = (line, at) => {
      const m = /^\{"event":"contacts_changed","seq":(\d+)/.exec(line);
      if (!m) return;
      const seq = Number(m[1]);
      const list = eventAt.get(seq) ?? [];
      list.push(at);
      eventAt.set(seq, list);
    };
  }
  const ackAt: number[] = [];
  for (let i = 1; i <= writes; i++) {
    const [ack] = writer.send([contact(i)]);
    ackAt[i] = await ack!;
    // Let every listener get it before the next write: one write's fan-out at a time.
    const deadline = performance.now() + 10_000;
    while ((eventAt.get(i)?.length ?? 0) < listeners) {
      if (performance.now() > deadline) throw new Error(`write ${i}: ${eventAt.get(i)?.length ?? 0} of ${listeners} listeners told after 10 s`);
      await new Promise((r) => setImmediate(r));
    }
  }
  const samples: number[] = [];
  for (let i = 1; i <= writes; i++) for (const at of eventAt.get(i)!) samples.push(at - ackAt[i]!);
  for (const c of [writer, ...others]) c.close();
  return summarize(samples, 0, 1);
}

export async function measureLive(opts: { durationMs: number; listeners: number; log?: (s: string) => void }): Promise<LiveResult> {
  const log = opts.log ?? (() => {});
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-bench-live-'));
  const server = await startServer(dataDir);
  try {
    const latency = await ackToEvent(server.port, opts.listeners, 500);
    log(`ack → event, ${opts.listeners} listeners: p50 ${latency.p50.toFixed(3)} ms, p99 ${latency.p99.toFixed(3)} ms, max ${latency.max.toFixed(3)} ms (${latency.requests} samples)`);
    const rates = [];
    for (const depth of [1, 16]) {
      for (const listeners of [0, opts.listeners]) {
        const r = await addRate(server.port, server.child.pid!, listeners, depth, opts.durationMs);
        rates.push(r);
        log(`add_contact 1 writer × ${String(depth).padStart(2)}, ${String(listeners).padStart(2)} listeners: ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms, server CPU ${r.serverCpuPerWriteUs.toFixed(0)} µs/write${r.resyncs ? ` (${r.resyncs} resync_required)` : ''}`);
      }
    }
    return { listeners: opts.listeners, ackToEvent: latency, addRate: rates };
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { duration: { type: 'string', default: '3' }, listeners: { type: 'string', default: '50' }, json: { type: 'string' } },
    args: process.argv.slice(2).filter((a) => a !== '--'),
  });
  const result = await measureLive({ durationMs: Number(values.duration) * 1000, listeners: Number(values.listeners), log: (s) => process.stderr.write(s + '\n') });
  if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2));
  process.stdout.write(JSON.stringify(result) + '\n');
}
