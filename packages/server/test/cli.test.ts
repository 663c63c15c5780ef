import { connect } from '@annuaire/protocol';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
let dataDir: string;
beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run "pnpm build" (pnpm test does it first)`);
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-cli-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function run(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 10_000 });
}

describe('annuaire-server', () => {
  it('prints its options with --help', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    for (const flag of ['--host', '--port', '--data-dir', '--tls-cert', '--insecure']) expect(r.stdout).toContain(flag);
  });

  it('refuses a non-loopback address without TLS, and says why', () => {
    const r = run('--host', '0.0.0.0', '--port', '0', '--data-dir', dataDir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/without TLS/);
  });

  it('refuses a bad port with a clear message', () => {
    const r = run('--port', 'abc');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--port must be/);
  });

  it('rejects a limits file with an unknown or malformed limit, naming it', () => {
    const file = path.join(dataDir, 'bad-limits.json');
    writeFileSync(file, JSON.stringify({ requestRate: { perSecond: -1, burst: 2 } }));
    const r = run('--limits', file, '--port', '0', '--data-dir', dataDir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/requestRate\.perSecond/);
    writeFileSync(file, JSON.stringify({ maxConections: 3 }));
    expect(run('--limits', file, '--port', '0', '--data-dir', dataDir).stderr).toMatch(/maxConections/);
  });

  it('applies the limits file', async () => {
    const file = path.join(dataDir, 'limits.json');
    writeFileSync(file, JSON.stringify({ maxConnectionsPerAddress: 1 }));
    const child = spawn(process.execPath, [bin, '--port', '0', '--quiet', '--limits', file, '--data-dir', path.join(dataDir, 'lim')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      await expect.poll(() => out, { timeout: 10_000 }).toContain('"listening"');
      const port = JSON.parse(out.split('\n').find((l) => l.includes('"listening"'))!).port as number;
      const first = await connect('127.0.0.1', port);
      await expect(connect('127.0.0.1', port)).rejects.toThrow();
      await first.close();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('serves, logs requests without secrets, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, '--port', '0', '--data-dir', path.join(dataDir, 'run')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    await expect.poll(() => out, { timeout: 10_000 }).toContain('"listening"');
    const port = JSON.parse(out.split('\n').find((l) => l.includes('"listening"'))!).port as number;

    const c = await connect('127.0.0.1', port);
    const secret = 'Secret-De-Test-123';
    await c.request('create_account', { username: 'journal', password: secret });
    await c.request('login', { username: 'journal', password: 'mauvais-mdp' }).catch(() => {});
    const { session_token } = await c.request('login', { username: 'journal', password: secret });
    await c.close();

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.msg === 'request').map((l) => [l.action, l.ok])).toEqual([
      ['create_account', true],
      ['login', false],
      ['login', true],
    ]);
    expect(lines.find((l) => l.action === 'login' && l.ok === false)).toMatchObject({ code: 'invalid_credentials', remote: '127.0.0.1' });
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped' });
    expect(out).not.toContain(secret);
    expect(out).not.toContain('mauvais-mdp');
    expect(out).not.toContain(session_token);
    // The data directory is private to its owner.
    expect(statSync(path.join(dataDir, 'run')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dataDir, 'run', 'annuaire.sqlite')).mode & 0o777).toBe(0o600);
  });
});
