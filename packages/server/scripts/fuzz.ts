/**
 * The long fuzz: `pnpm fuzz [--frames 1000000] [--seed N] [--crash-cycles N]`.
 *
 * Starts the built server (run `pnpm build` first) on a temporary data directory and
 * sends it `--frames` hostile frames (see fuzz-core.ts) in pipelined batches over
 * connections logged in and not, with the special cases (a frame split at every byte,
 * a 3 MB line, 10,000-deep nesting, 5,000 requests in one write) every few thousand
 * frames, while a bystander keeps using the victim's account. Then checks the server is
 * alive, its memory bounded, and the victim's data unchanged. With --crash-cycles N it
 * also runs N SIGKILL cycles (crash-core.ts). With --pre-handshake N it also floods a TLS
 * server with waves (--pre-handshake-waves, default 10) of N connections from one address
 * that never finish their handshake (fuzz-tls-core.ts). `--frames 0` skips the frame fuzz.
 * Prints a JSON summary; exits 1 on any failure.
 *
 * `pnpm fuzz --adversaries [--duration S]` runs the hostile clients of adversaries.ts instead
 * (parallel guessing, non-reading clients, floods behind slow requests).
 */
import { listAllContacts } from '@annuaire/protocol';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { spawnServer } from '../test/spawn';
import { runCrashCycles, type CrashReport } from './crash-core';
import { runAdversaries } from './fuzz-adversaries';
import { runPreHandshake, type PreHandshakeReport } from './fuzz-tls-core';
import {
  frameArbitrary,
  LineSocket,
  newStats,
  oversizeLine,
  prepareWorld,
  rawRequest,
  readHello,
  sendAndCheck,
  splitAtEveryByte,
  startBystander,
  type Frame,
} from './fuzz-core';

const { values: args } = parseArgs({
  options: {
    frames: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000_007) },
    'max-batch': { type: 'string', default: '200' },
    'crash-cycles': { type: 'string', default: '0' },
    'memory-bound-mb': { type: 'string', default: '256' },
    'pre-handshake': { type: 'string', default: '0' },
    'pre-handshake-waves': { type: 'string', default: '10' },
    adversaries: { type: 'boolean', default: false },
    duration: { type: 'string', default: '300' },
  },
});
const TOTAL = Number(args.frames);
const SEED = Number(args.seed);
const MAX_BATCH = Number(args['max-batch']);
const CRASH_CYCLES = Number(args['crash-cycles']);
const MEMORY_BOUND = Number(args['memory-bound-mb']) * 2 ** 20;
const PRE_HANDSHAKE = Number(args['pre-handshake']);
const PRE_HANDSHAKE_WAVES = Number(args['pre-handshake-waves']);
const FIXTURES = path.resolve(import.meta.dirname, '..', 'test', 'fixtures');
/** The TLS server of the pre-handshake mode: the default per-address cap, a 2 s handshake. */
const PRE_HANDSHAKE_CAP = 256;
const PRE_HANDSHAKE_TIMEOUT_S = 2;
const SECRET = 'Victimesecrete';
const log = (line: string) => process.stderr.write(line + '\n');
const mib = (b: number | undefined) => (b === undefined ? '?' : `${Math.round(b / 2 ** 20)} MiB`);

async function main(): Promise<number> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-longfuzz-'));
  const srv = await spawnServer(dataDir, ['--quiet']);
  const stats = newStats();
  const started = Date.now();
  let peakRss = 0;
  const sampleRss = () => (peakRss = Math.max(peakRss, srv.rssBytes() ?? 0));
  let crashed: string | undefined;
  let crash: CrashReport | undefined;
  try {
    const world = await prepareWorld(srv.port, SECRET);
    const baselineRss = srv.rssBytes();
    const bystander = startBystander(srv.port, world, SECRET);
    const arb = frameArbitrary(world.victimIds);
    log(`fuzz: seed ${SEED}, ${TOTAL} frames, server pid ${srv.proc.pid}, RSS ${mib(baselineRss)}`);

    const open = async (authed: boolean) => {
      const sock = await LineSocket.open(srv.port);
      await readHello(sock);
      if (authed) await rawRequest(sock, { id: 'auth', action: 'resume_session', session_token: world.fuzzerToken });
      sock.consume();
      return sock;
    };
    // Three lanes, each with a connection logged in and one not, sending batches in turn.
    let batch = 0;
    let lastReport = Date.now();
    const lane = async (laneNo: number) => {
      const socks = [await open(false), await open(true)];
      while (stats.frames < TOTAL && !crashed && stats.failures.length <= 50) {
        const n = ++batch;
        const which = n % 2;
        if (!socks[which]!.usable) {
          socks[which]!.destroy();
          socks[which] = await open(which === 1);
        }
        const sock = socks[which]!;
        const size = 1 + ((n * 7919) % MAX_BATCH);
        const frames: Frame[] = fc.sample(arb, { seed: SEED + n, numRuns: size });
        await sendAndCheck(sock, frames, stats, { secret: SECRET });
        sock.consume();
        if (laneNo === 0 && n % 500 < 3) await specialCases(n);
        if (!srv.alive()) crashed = `exited: ${await srv.exited}; stderr: ${srv.stderr().slice(-2000)}`;
        if (Date.now() - lastReport > 5000) {
          lastReport = Date.now();
          sampleRss();
          const rate = Math.round(stats.frames / ((Date.now() - started) / 1000));
          log(`  ${stats.frames} frames (${rate}/s), ${stats.replies} replies, ${stats.failures.length} failures, RSS ${mib(srv.rssBytes())}, peak ${mib(peakRss)}`);
        }
      }
      for (const s of socks) s.destroy();
    };
    /** The special cases, on connections of their own. */
    const specialCases = async (n: number) => {
      const special = await open(true);
      await splitAtEveryByte(special, stats, 1);
      special.consume();
      const deep = '['.repeat(10_000) + ']'.repeat(10_000);
      const deepFrame: Frame = { kind: 'deep_nesting', bytes: Buffer.from(`{"id":1,"action":"add_contact","nom":"x","adresse":${deep}}`), expectId: 1 };
      await sendAndCheck(special, [deepFrame], stats, { secret: SECRET });
      special.consume();
      const pipelined = fc.sample(arb, { seed: SEED - n, numRuns: 6000 }).filter((f) => f.bytes.length < 4096).slice(0, 5000);
      await sendAndCheck(special, pipelined, stats, { secret: SECRET });
      special.destroy();
      const big = await open(false);
      await oversizeLine(big, stats, 3);
      big.destroy();
    };
    await Promise.all([0, 1, 2].map(lane));
    sampleRss();
    const served = await bystander.stop();
    if (served.errors.length > 0) stats.failures.push(`bystander: ${served.errors.join('; ')}`);
    if (served.rounds === 0) stats.failures.push('the bystander was never served');
    if (!crashed) {
      const after = await listAllContacts(world.victim, 'nom');
      if (JSON.stringify(after) !== JSON.stringify(world.snapshot)) stats.failures.push("the victim's annuaire changed");
    }
    await world.victim.close();
    if (baselineRss !== undefined && peakRss - baselineRss > MEMORY_BOUND) {
      stats.failures.push(`memory grew from ${mib(baselineRss)} to ${mib(peakRss)}`);
    }
    const summary = {
      seed: SEED,
      seconds: Math.round((Date.now() - started) / 1000),
      frames: stats.frames,
      megabytes: Math.round(stats.bytes / 2 ** 20),
      replies: stats.replies,
      unanswered_after_close: stats.unanswered,
      crashed: crashed ?? false,
      rss: { baseline: mib(baselineRss), peak: mib(peakRss) },
      bystander_rounds: served.rounds,
      replies_by_code: stats.byCode,
      frames_by_kind: stats.byKind,
      closes_by_reason: stats.closes,
      // As the server logged them ("connection dropped"), to compare with what clients saw.
      server_drops: srv.logs.filter((l) => l.msg === 'connection dropped').reduce<Record<string, number>>((m, l) => {
        const reason = String(l.reason);
        m[reason] = (m[reason] ?? 0) + 1;
        return m;
      }, {}),
      failures: stats.failures.slice(0, 50),
    };
    process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  } finally {
    if (srv.alive()) await srv.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (CRASH_CYCLES > 0) {
    const crashDir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-longcrash-'));
    try {
      crash = await runCrashCycles({ dataDir: crashDir, cycles: CRASH_CYCLES, seed: SEED, log });
      process.stdout.write(JSON.stringify({ crash }, null, 2) + '\n');
    } finally {
      rmSync(crashDir, { recursive: true, force: true });
    }
  }
  let preHandshake: PreHandshakeReport | undefined;
  if (PRE_HANDSHAKE > 0) preHandshake = await preHandshakeFlood();
  const failed = [stats.failures.length, crash?.failures.length ?? 0, preHandshake?.failures.length ?? 0].some((n) => n > 0);
  return crashed || failed ? 1 : 0;
}

/** The pre-handshake TLS mode, on a TLS server of its own. */
async function preHandshakeFlood(): Promise<PreHandshakeReport> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-longfuzz-tls-'));
  const cert = path.join(FIXTURES, 'test-cert.pem');
  const srv = await spawnServer(dataDir, [
    '--quiet',
    ...['--tls-cert', cert, '--tls-key', path.join(FIXTURES, 'test-key.pem')],
    ...['--max-per-address', String(PRE_HANDSHAKE_CAP), '--tls-handshake-timeout', String(PRE_HANDSHAKE_TIMEOUT_S)],
  ]);
  try {
    log(`fuzz: pre-handshake TLS, ${PRE_HANDSHAKE_WAVES} waves of ${PRE_HANDSHAKE} connections, server pid ${srv.proc.pid}`);
    const baselineRss = srv.rssBytes();
    const report = await runPreHandshake({
      port: srv.port,
      ca: readFileSync(cert),
      connections: PRE_HANDSHAKE,
      waves: PRE_HANDSHAKE_WAVES,
      perAddressCap: PRE_HANDSHAKE_CAP,
      handshakeTimeoutMs: PRE_HANDSHAKE_TIMEOUT_S * 1000,
      seed: SEED,
      log,
    });
    if (!srv.alive()) report.failures.push(`the server exited: ${await srv.exited}`);
    process.stdout.write(JSON.stringify({ pre_handshake: { ...report, rss: { baseline: mib(baselineRss), now: mib(srv.rssBytes()) } } }, null, 2) + '\n');
    return report;
  } finally {
    if (srv.alive()) await srv.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

(args.adversaries ? runAdversaries({ durationS: Number(args.duration), memoryBoundMb: Number(args['memory-bound-mb']), log }) : main()).then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(String((err as Error)?.stack ?? err));
    process.exit(1);
  },
);
