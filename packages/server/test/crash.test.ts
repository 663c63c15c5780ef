/**
 * Crash safety: the built server is SIGKILLed at random moments under a write load,
 * twenty times, and restarted on the same data directory (see scripts/crash-core.ts for
 * what is checked after each kill). `pnpm fuzz --crash-cycles 200` runs the long version.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runCrashCycles } from '../scripts/crash-core';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('loses no acknowledged write and half-writes nothing across 20 SIGKILLs under load', async () => {
  const report = await runCrashCycles({ dataDir, cycles: 20, seed: 0xc0ffee });
  console.info(`crash: ${JSON.stringify({ ...report, failures: report.failures.length })}`);
  expect(report.failures).toEqual([]);
  expect(report.cycles).toBe(20);
  // The load really ran: writes were acknowledged, and kills caught some in flight.
  expect(report.acknowledged).toBeGreaterThan(100);
  expect(report.unackedCommitted + report.unackedLost).toBeGreaterThan(0);
}, 180_000);
