import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floods, guessing, nonReaders, startBystander } from '../scripts/adversaries';
import { spawnServer, type SpawnedServer } from './spawn';

// The built server as deployed, with the limits small enough that a test reaches them.
let srv: SpawnedServer;
let dataDir: string;
let baselineRss = 0;
let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, srv.rssBytes() ?? 0));
let sampler: NodeJS.Timeout;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-adversaries-'));
  // A short write stall, so that a client reading nothing is dropped within the test's time.
  // Small memory budgets, so that the bound checked is far below what the attackers ask for.
  writeFileSync(
    path.join(dataDir, 'limits.json'),
    JSON.stringify({ writeStallTimeoutMs: 3000, maxOutputBytesTotal: 16 * 2 ** 20, maxInputBytesTotal: 8 * 2 ** 20 }),
  );
  srv = await spawnServer(dataDir, ['--quiet', '--max-per-address', '1000', '--limits', path.join(dataDir, 'limits.json')]);
  baselineRss = srv.rssBytes() ?? 0;
  sampler = setInterval(sampleRss, 20);
});
afterAll(async () => {
  clearInterval(sampler);
  await srv.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('adversaries against the built server (small scale; pnpm fuzz --adversaries runs them long)', () => {
  it('parallel guessing: no burst gets more than the free checks, the right password past them never logs in', async () => {
    const report = await guessing(srv.port, { connections: 40, bursts: 3, freeFailures: 5, tag: 'test' });
    expect(report.guesses).toBe(120);
    expect(report.rightPasswordAccepted).toBe(0);
    expect(report.checked).toBeLessThanOrEqual(15);
    expect(report.throttled).toBeGreaterThanOrEqual(105);
  });

  it('non-reading clients and floods behind a slow request: bounded memory, the bystander served throughout', async () => {
    const bystander = await startBystander(srv.port, 'test');
    // 8 × 16 exports of ~0.9 MB asked and never read: 115 MB if the server held them.
    const tooSlow = () => srv.logs.filter((l) => l.msg === 'connection dropped' && l.reason === 'too_slow').length;
    const unread = await nonReaders(srv.port, { connections: 8, requests: 16, tag: 'test', dropped: tooSlow, timeoutMs: 20_000 });
    // 4 × 16 MB pipelined behind a login that waits on 30 others.
    const flooded = await floods(srv.port, { connections: 4, megabytes: 16, busyLogins: 30, tag: 'test' });
    const served = await bystander.stop();
    sampleRss();
    expect(srv.alive()).toBe(true);
    expect(unread.closedByServer).toBe(8);
    expect(flooded.closedByServer).toBe(0);
    expect(served.errors).toEqual([]);
    expect(served.rounds).toBeGreaterThan(10);
    // Bounded: the budgets hold 24 MiB at most; the rest is the garbage of parsing 64 MB of
    // requests, which V8 collects at its own pace (Node 24 lets its heap grow about twice as
    // far as Node 20 before it does: 145 against 70 MiB here).
    expect(peakRss - baselineRss).toBeLessThan(200 * 2 ** 20);
    console.info(`adversaries: RSS ${Math.round(baselineRss / 2 ** 20)} → peak ${Math.round(peakRss / 2 ** 20)} MiB; bystander ${JSON.stringify(served)}`);
  }, 120_000);
});
