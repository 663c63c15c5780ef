/**
 * The reference ceiling: redis-benchmark GET against a local redis-server, with the
 * same client counts and pipelining as our runs. Installs Debian's package when it
 * can (root, apt-get), and otherwise reports why it was skipped.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import net from 'node:net';

export interface RedisResult {
  clients: number;
  pipeline: number;
  rps: number;
  p50: number | null;
  p99: number | null;
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** redis-server and redis-benchmark on the PATH, installing them if possible; a reason when not. */
export function ensureRedis(log: (s: string) => void): string | null {
  if (has('redis-server') && has('redis-benchmark')) return null;
  if (process.getuid?.() !== 0 || !has('apt-get')) return 'redis-server is not installed and cannot be installed here (needs root and apt-get)';
  log('installing redis-server (apt-get)…');
  const r = spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server'], { stdio: 'ignore' });
  if (r.status !== 0 || !has('redis-benchmark')) return 'apt-get install redis-server failed';
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listening on ${port}`);
}

/** GET throughput for each (clients, pipeline) pair. */
export async function redisReference(configs: [number, number][], requests: (clients: number, pipeline: number) => number): Promise<RedisResult[]> {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  try {
    await waitForPort(port);
    execFileSync('redis-cli', ['-p', String(port), 'set', 'key:__rand_int__', 'x'], { stdio: 'ignore' });
    const out: RedisResult[] = [];
    for (const [clients, pipeline] of configs) {
      const csv = execFileSync(
        'redis-benchmark',
        ['-p', String(port), '-t', 'get', '-c', String(clients), '-P', String(pipeline), '-n', String(requests(clients, pipeline)), '--csv'],
        { encoding: 'utf8' },
      );
      // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
      const row = csv.trim().split('\n').find((l) => l.startsWith('"GET'));
      if (!row) throw new Error(`unexpected redis-benchmark output: ${csv}`);
      const cells = row.split(',').map((c) => c.replace(/"/g, ''));
      out.push({
        clients,
        pipeline,
        rps: Number(cells[1]),
        p50: cells[4] !== undefined ? Number(cells[4]) : null,
        p99: cells[6] !== undefined ? Number(cells[6]) : null,
      });
    }
    return out;
  } finally {
    server.kill('SIGTERM');
  }
}
