/**
 * Keystroke-to-frame time in the render path on a 100,000-contact annuaire:
 * `npx tsx packages/tui/scripts/measure-frames.tsx [size]`.
 *
 * The annuaire is the benchmark's (bench/build-db.ts, built once and cached under data/bench/).
 * The app renders into an in-memory terminal (ink-testing-library: unthrottled, 100 columns,
 * 24 rows) against a real server on loopback. For each key we time from writing the key to the
 * first frame that shows its effect: scrolling with ↓ and PgDn, jumping to the end, typing a filter.
 */
import { render } from 'ink-testing-library';
import { startServer } from '@annuaire/server';
import { BENCH_PASSWORD, BENCH_USER, ensureDatabase } from '../../../bench/build-db';
import { App } from '../src/app';
import { Connection } from '../src/state/connection';

const size = Number(process.argv[2] ?? 100_000);
const dir = await ensureDatabase(size, (s) => console.error(s));
const server = await startServer({ host: '127.0.0.1', port: 0, dataDir: dir });
const connection = new Connection({ host: '127.0.0.1', port: server.port, lang: 'fr' });
const ui = render(<App connection={connection} lang="fr" />);
void connection.start();

// eslint-disable-next-line no-control-regex
const plain = (s: string | undefined) => (s ?? '').replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
let waiters: (() => void)[] = [];
const write = ui.stdout.write;
ui.stdout.write = (frame: string) => {
  write(frame);
  const w = waiters;
  waiters = [];
  for (const f of w) f();
};
const nextFrame = () => new Promise<void>((r) => waiters.push(r));

async function until(pred: (frame: string) => boolean, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const f = plain(ui.lastFrame());
    if (pred(f)) return f;
    if (Date.now() > deadline) throw new Error(`timeout; last frame:\n${f}`);
    await Promise.race([nextFrame(), new Promise((r) => setTimeout(r, 50))]);
  }
}

/** CPU ms (this process: UI, client and server) spent per timed key, by label: steadier than wall time on a busy machine. */
const cpu = new Map<string, number[]>();
let label = '';

/** ms from writing `key` to the first frame for which `pred` holds. */
async function time(key: string, pred: (frame: string) => boolean): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  ui.stdin.write(key);
  await until(pred);
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  if (label) cpu.set(label, [...(cpu.get(label) ?? []), (c.user + c.system) / 1000]);
  return wall;
}

const selectedLine = (f: string) => f.split('\n').find((l) => l.includes('❯ ')) ?? '';
const stats = (name: string, xs: number[]) => {
  const c = cpu.get(name);
  if (c) {
    cpu.delete(name);
    stats(`${name} [CPU]`, c);
  }
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(2);
  console.log(`${name.padEnd(42)} n=${String(s.length).padStart(4)}  p50 ${q(0.5)} ms  p95 ${q(0.95)} ms  max ${s[s.length - 1]!.toFixed(2)} ms`);
};

await until((f) => f.includes('● connecté'));
ui.stdin.write('2');
await until((f) => f.includes("Nom d'utilisateur"));
ui.stdin.write(`${BENCH_USER}\r${BENCH_PASSWORD}\r`);
await until((f) => f.includes('Menu principal'));

// Baseline: the same key path on a six-line menu.
label = 'baseline: ↓/↑ on the home menu';
const menu: number[] = [];
for (let i = 0; i < 100; i++) {
  const before = plain(ui.lastFrame());
  menu.push(await time(i % 2 ? '\u001b[A' : '\u001b[B', (f) => f !== before));
}
stats('baseline: ↓/↑ on the home menu', menu);

const openStart = performance.now();
ui.stdin.write('2');
await until((f) => f.includes(`${size.toLocaleString('en').replace(/,/g, '')} contact(s)`) || f.includes(`${size} contact(s)`));
await until((f) => !f.includes('chargement…'));
console.log(`open the list (first page shown)          ${(performance.now() - openStart).toFixed(1)} ms`);

label = '↓ (300 keys, pages load as needed)';
const down: number[] = [];
for (let i = 0; i < 300; i++) {
  const before = plain(ui.lastFrame());
  down.push(await time('\u001b[B', (f) => f !== before && !selectedLine(f).includes('chargement')));
}
stats('↓ (300 keys, pages load as needed)', down);

label = 'PgDn: key → first frame';
const pgdn: number[] = [];
const pgdnLoaded: number[] = [];
// (fewer on a small annuaire, so that PgDn never hits the end, where the frame stops changing)
for (let i = 0; i < Math.min(100, Math.floor(size / 40)); i++) {
  const before = plain(ui.lastFrame());
  const t0 = performance.now();
  pgdn.push(await time('\u001b[6~', (f) => f !== before));
  await until((f) => !f.includes('chargement…'));
  pgdnLoaded.push(performance.now() - t0);
}
stats('PgDn: key → first frame', pgdn);
stats('PgDn: key → rows loaded and shown', pgdnLoaded);

const endT0 = performance.now();
label = '';
const beforeEnd = plain(ui.lastFrame());
const endFirst = await time('\u001b[F', (f) => f !== beforeEnd);
await until((f) => !f.includes('chargement…'), 120_000);
console.log(`End: key → first frame                     ${endFirst.toFixed(1)} ms`);
console.log(`End: key → last rows loaded (${size} rows)   ${(performance.now() - endT0).toFixed(1)} ms`);

label = '↑ near the end (200 keys, all loaded)';
const up: number[] = [];
for (let i = 0; i < 200; i++) {
  const before = plain(ui.lastFrame());
  up.push(await time('\u001b[A', (f) => f !== before));
}
stats('↑ near the end (200 keys, all loaded)', up);

label = 'filter: key → query echoed';
const echo: number[] = [];
const results: number[] = [];
for (const query of ['dupont', 'martin', 'lefebvre']) {
  if (!plain(ui.lastFrame()).includes('(tapez pour filtrer)')) {
    ui.stdin.write('\u001b'); // clear the filter
    await until((f) => f.includes('(tapez pour filtrer)'));
  }
  let typed = '';
  for (const ch of query) {
    typed += ch;
    const t0 = performance.now();
    echo.push(await time(ch, (f) => f.includes(`Filtre : ${typed}`)));
    await until((f) => f.includes(`pour « ${typed} »`) && !f.includes('chargement…'));
    results.push(performance.now() - t0);
  }
}
stats('filter: key → query echoed', echo);
stats('filter: key → search results shown', results);

ui.unmount();
await connection.close();
await server.close();
process.exit(0);
