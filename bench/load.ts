/**
 * A lean load driver for the JSON-lines protocol: raw sockets, request lines built
 * ahead, replies recognised without parsing them (the server answers each connection
 * in order, so the oldest send time of a connection belongs to its next reply).
 * It must cost the client far less than the server, as redis-benchmark does.
 */
import { connectTcp } from '@annuaire/test-utils';
import type net from 'node:net';

export interface Latencies {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
}

/** Summary of latencies in milliseconds. */
export function summarize(samples: number[], errors: number, seconds: number): Latencies {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN);
  return {
    requests: samples.length,
    errors,
    seconds,
    rps: samples.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
  };
}

/** One connection: a simple request/response mode for setup, a counting mode for load. */
export class BenchConnection {
  private head = '';
  private readonly sent: number[] = [];
  private readonly tags: number[] = [];
  private sentHead = 0;
  private waiter: ((line: string) => void) | null = null;
  private acceptEvent = false;
  private full = '';
  /** In load mode, called for each reply: latency in ms, ok or not, the request's tag. */
  onReply: ((ms: number, ok: boolean, tag: number) => void) | null = null;
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => {});
  }

  static async open(port: number, host = '127.0.0.1'): Promise<BenchConnection> {
    const c = new BenchConnection(await connectTcp(port, host));
    await c.nextLine(true); // hello
    return c;
  }

  /** Sends one request and returns its parsed reply (setup only). */
  async call(action: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const reply = this.nextLine();
    this.socket.write(JSON.stringify({ id: 1, action, ...params }) + '\n');
    const parsed = JSON.parse(await reply) as Record<string, unknown>;
    if (parsed.ok !== true) throw new Error(`${action} failed: ${JSON.stringify(parsed)}`);
    return parsed.result as Record<string, unknown>;
  }

  /** Writes request lines (already newline-terminated) and remembers when. */
  send(lines: string, count: number, tags?: number[]): void {
    const now = performance.now();
    for (let i = 0; i < count; i++) {
      this.sent.push(now);
      this.tags.push(tags?.[i] ?? 0);
    }
    this.socket.write(lines);
  }

  get inFlight(): number {
    return this.sent.length - this.sentHead;
  }

  close(): void {
    this.socket.destroy();
  }

  /** The next reply line; with `event`, the next line whatever it is (the greeting is an event). */
  private nextLine(event = false): Promise<string> {
    this.acceptEvent = event;
    return new Promise((resolve) => (this.waiter = resolve));
  }

  private onData(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(10, pos);
      const end = nl === -1 ? chunk.length : nl;
      if (this.waiter) this.full += chunk.toString('utf8', pos, end);
      else if (this.head.length < 40) this.head += chunk.toString('latin1', pos, Math.min(end, pos + 40 - this.head.length));
      if (nl === -1) return;
      pos = nl + 1;
      if (this.waiter) {
        const w = this.waiter;
        const line = this.full;
        this.full = '';
        // A live event (contacts_changed after a write by any connection of the user) is no reply.
        if (line.startsWith('{"event"') && !this.acceptEvent) continue;
        this.waiter = null;
        w(line);
        continue;
      }
      const head = this.head;
      this.head = '';
      if (head.startsWith('{"event"')) continue;
      const at = this.sent[this.sentHead];
      const tag = this.tags[this.sentHead]!;
      this.sentHead++;
      if (this.sentHead > 4096) {
        this.sent.splice(0, this.sentHead);
        this.tags.splice(0, this.sentHead);
        this.sentHead = 0;
      }
      this.onReply?.(at === undefined ? NaN : performance.now() - at, head.includes('"ok":true'), tag);
    }
  }
}

/** The k-th request of a run (k counts across connections): its line and a tag to group latencies by. */
export type RequestSource = (k: number, conn: number) => { line: string; tag?: number };

export interface LoadOptions {
  connections: BenchConnection[];
  /** Requests kept in flight on each connection. */
  depth: number;
  durationMs: number;
  source: RequestSource;
  /** How many tags the source uses (latencies are also summarised per tag). */
  tags?: number;
  /**
   * As redis-benchmark -P does: `depth` requests in one write, the next batch only once every
   * reply of this one is in. Without it, one request goes out per reply (a sliding window).
   */
  batch?: boolean;
}

/**
 * Closed loop: every connection keeps `depth` requests in flight for `durationMs`,
 * sending one more as each reply comes back (or, with `batch`, `depth` more once all are
 * back), then waits for the stragglers.
 */
export async function runLoad(opts: LoadOptions): Promise<{ all: Latencies; byTag: Latencies[] }> {
  const samples: number[] = [];
  const byTag: number[][] = Array.from({ length: opts.tags ?? 1 }, () => []);
  let errors = 0;
  let k = 0;
  let stopping = false;
  const started = performance.now();
  const deadline = started + opts.durationMs;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  let outstanding = 0;

  const fill = (c: BenchConnection, index: number) => {
    if (opts.batch && c.inFlight > 0) return;
    let lines = '';
    const tags: number[] = [];
    while (c.inFlight + tags.length < opts.depth) {
      const { line, tag = 0 } = opts.source(k++, index);
      lines += line;
      tags.push(tag);
    }
    if (tags.length > 0) {
      outstanding += tags.length;
      c.send(lines, tags.length, tags);
    }
  };

  opts.connections.forEach((c, index) => {
    c.onReply = (ms, ok, tag) => {
      outstanding--;
      if (ok) {
        samples.push(ms);
        byTag[tag]?.push(ms);
      } else errors++;
      if (!stopping && performance.now() >= deadline) stopping = true;
      if (!stopping) fill(c, index);
      else if (outstanding === 0) finished();
    };
  });
  opts.connections.forEach((c, i) => fill(c, i));
  const timer = setTimeout(() => {
    stopping = true;
    if (outstanding === 0) finished();
  }, opts.durationMs + 50);
  await done;
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  for (const c of opts.connections) c.onReply = null;
  return { all: summarize(samples, errors, seconds), byTag: byTag.map((s) => summarize(s, 0, seconds)) };
}

/** Opens `n` connections, `batch` at a time. */
export async function openConnections(port: number, n: number, batch = 50): Promise<BenchConnection[]> {
  const out: BenchConnection[] = [];
  for (let i = 0; i < n; i += batch) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(batch, n - i) }, () => BenchConnection.open(port)))));
  }
  return out;
}
