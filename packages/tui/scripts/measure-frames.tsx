/**
 * Keystroke-to-frame time in the render path on a 100,000-contact annuaire:
 * `npx tsx packages/tui/scripts/measure-frames.tsx [size]`.
 *
 * The annuaire is the benchmark's (bench/build-db.ts, built once and cached under data/bench/),
 * served by an in-process server (so the CPU figures include the server's). The measurement
 * itself is frame-times.ts, which `pnpm bench` runs too (bench/tui.ts).
 */
import { measureFrames } from './frame-times'; // first: it sets NODE_ENV before React loads
import { startServer } from '@annuaire/server';
import { BENCH_PASSWORD, BENCH_USER, ensureDatabase } from '../../../bench/build-db';

const size = Number(process.argv[2] ?? 100_000);
const dir = await ensureDatabase(size, (s) => console.error(s));
const server = await startServer({ host: '127.0.0.1', port: 0, dataDir: dir });
try {
  const times = await measureFrames({ port: server.port, username: BENCH_USER, password: BENCH_PASSWORD, size, log: (s) => console.log(s) });
  console.log(`React build: ${times.react}`);
} finally {
  await server.close();
}
process.exit(0);
