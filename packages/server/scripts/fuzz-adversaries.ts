/**
 * `pnpm fuzz --adversaries [--duration 300]`: the hostile clients of adversaries.ts, round
 * after round against the built server, at a scale the suite cannot afford. Each round runs
 * parallel guessing, non-reading clients and floods behind a slow request together while
 * a bystander measures its latency. Prints a JSON summary; exits 1 if an invariant broke.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnServer } from '../test/spawn';
import { floods, guessing, nonReaders, startBystander, type BystanderReport } from './adversaries';

const mib = (b: number) => Math.round(b / 2 ** 20);

export async function runAdversaries(opts: { durationS: number; memoryBoundMb: number; log: (line: string) => void }): Promise<number> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-adversaries-'));
  writeFileSync(path.join(dataDir, 'limits.json'), JSON.stringify({ writeStallTimeoutMs: 5000 }));
  const srv = await spawnServer(dataDir, ['--quiet', '--max-per-address', '5000', '--limits', path.join(dataDir, 'limits.json')]);
  const failures: string[] = [];
  const baseline = srv.rssBytes() ?? 0;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, srv.rssBytes() ?? 0)), 50);
  const tooSlow = () => srv.logs.filter((l) => l.msg === 'connection dropped' && l.reason === 'too_slow').length;
  const rounds: { guesses: number; checked: number; unreadMb: number; floodedMb: number; bystander: BystanderReport }[] = [];
  const started = Date.now();
  try {
    for (let r = 0; Date.now() - started < opts.durationS * 1000; r++) {
      const bystander = await startBystander(srv.port, `r${r}`);
      const [guessed, unread, flooded] = await Promise.all([
        guessing(srv.port, { connections: 250, bursts: 4, freeFailures: 5, tag: `r${r}` }),
        nonReaders(srv.port, { connections: 50, requests: 20, tag: `r${r}`, dropped: tooSlow, timeoutMs: 60_000 }),
        floods(srv.port, { connections: 8, megabytes: 64, busyLogins: 100, tag: `r${r}` }),
      ]);
      const served = await bystander.stop();
      if (guessed.rightPasswordAccepted > 0) failures.push(`round ${r}: the right password got through a burst`);
      if (unread.closedByServer < 50) failures.push(`round ${r}: ${50 - unread.closedByServer} non-readers never dropped`);
      if (served.errors.length > 0) failures.push(`round ${r}: bystander: ${served.errors.join('; ')}`);
      if (!srv.alive()) failures.push(`round ${r}: the server died: ${srv.stderr().slice(-2000)}`);
      rounds.push({ guesses: guessed.guesses, checked: guessed.checked, unreadMb: Math.round(unread.megabytes), floodedMb: flooded.megabytes, bystander: served });
      opts.log(`  round ${r}: ${JSON.stringify(rounds.at(-1))}, RSS ${mib(srv.rssBytes() ?? 0)} MiB, peak ${mib(peak)} MiB`);
      if (failures.length > 0 || !srv.alive()) break;
    }
    if (peak - baseline > opts.memoryBoundMb * 2 ** 20) failures.push(`memory grew from ${mib(baseline)} to ${mib(peak)} MiB`);
    await srv.kill('SIGTERM');
    // What held the server's event loop, as it logged it.
    const slow: Record<string, { count: number; maxMs: number }> = {};
    for (const l of srv.logs.filter((l) => l.msg === 'slow request')) {
      const s = (slow[String(l.action)] ??= { count: 0, maxMs: 0 });
      s.count++;
      s.maxMs = Math.max(s.maxMs, Number(l.ms));
    }
    const eventLoop = srv.logs.find((l) => l.msg === 'stopped')?.eventLoopDelayMs;
    process.stdout.write(
      JSON.stringify({ seconds: Math.round((Date.now() - started) / 1000), rss: { baseline: mib(baseline), peak: mib(peak) }, eventLoop, slow, rounds, failures }, null, 2) + '\n',
    );
  } finally {
    clearInterval(sampler);
    if (srv.alive()) await srv.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  return failures.length > 0 ? 1 : 0;
}
