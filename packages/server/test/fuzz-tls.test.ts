/**
 * The fuzzer's pre-handshake TLS mode, short (the long one is `pnpm fuzz -- --pre-handshake N`),
 * against the built server as a child process.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { runPreHandshake } from '../scripts/fuzz-tls-core';
import { spawnServer } from './spawn';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-fuzz-tls-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('holds pre-handshake floods to the per-address cap, closes them in time, and keeps serving', async () => {
  const srv = await spawnServer(dataDir, [
    '--quiet',
    ...['--tls-cert', path.join(fixtures, 'test-cert.pem'), '--tls-key', path.join(fixtures, 'test-key.pem')],
    ...['--max-per-address', '40', '--tls-handshake-timeout', '1'],
  ]);
  try {
    const report = await runPreHandshake({
      port: srv.port,
      ca: readFileSync(path.join(fixtures, 'test-cert.pem')),
      connections: 150,
      waves: 2,
      perAddressCap: 40,
      handshakeTimeoutMs: 1000,
      seed: 20_261_130,
    });
    expect(report.failures).toEqual([]);
    expect(report.waves).toBe(2);
    expect(report.maxHeld).toBeLessThanOrEqual(40);
    expect(Object.keys(report.behaviours).sort()).toEqual(['drip', 'garbage', 'record_header', 'silent']);
    expect(srv.alive()).toBe(true);
  } finally {
    await srv.kill('SIGTERM');
  }
});
