/**
 * The data directory holds password hashes and other people's personal data: it is created
 * private to the server's user (0700), and the database files are 0600, -wal and -shm included.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DB_FILE } from '../src/store/db';
import { startTestServer } from './helpers';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'annuaire-modes-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const mode = (file: string) => statSync(file).mode & 0o777;
const dbFiles = (dir: string) => [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`].map((f) => path.join(dir, f));

/** Opens a server on `dataDir`, writes (so that the WAL exists), returns the modes seen while it runs. */
async function modesWhileRunning(dataDir: string) {
  const t = await startTestServer({ dataDir });
  try {
    const { client } = await t.user();
    await client.request('add_contact', { nom: 'Modes' });
    const files = dbFiles(dataDir).filter(existsSync);
    expect(files).toContain(path.join(dataDir, DB_FILE));
    return { dir: mode(dataDir), files: Object.fromEntries(files.map((f) => [path.basename(f), mode(f)])) };
  } finally {
    await t.close();
  }
}

describe('file modes', () => {
  it('creates the data directory 0700 and the database files 0600, even under a lax umask', async () => {
    const dataDir = path.join(tmp, 'nested', 'data');
    const old = process.umask(0o000);
    let seen;
    try {
      seen = await modesWhileRunning(dataDir);
    } finally {
      process.umask(old);
    }
    expect(seen.dir).toBe(0o700);
    for (const [file, m] of Object.entries(seen.files)) expect({ file, mode: m.toString(8) }).toEqual({ file, mode: '600' });
    // The WAL really was there to check.
    expect(Object.keys(seen.files)).toContain(`${DB_FILE}-wal`);
  });

  it('tightens an existing data directory left 0777', async () => {
    const dataDir = path.join(tmp, 'open');
    const old = process.umask(0o000);
    let seen;
    try {
      mkdirSync(dataDir, { mode: 0o777 });
      expect(mode(dataDir)).toBe(0o777);
      seen = await modesWhileRunning(dataDir);
    } finally {
      process.umask(old);
    }
    expect(seen.dir.toString(8)).toBe('700');
  });

  it('tightens database files left group- or world-readable', async () => {
    const dataDir = path.join(tmp, 'lax');
    mkdirSync(dataDir, { mode: 0o700 });
    await modesWhileRunning(dataDir);
    for (const f of dbFiles(dataDir).filter(existsSync)) chmodSync(f, 0o644);
    const seen = await modesWhileRunning(dataDir);
    for (const [file, m] of Object.entries(seen.files)) expect({ file, mode: m.toString(8) }).toEqual({ file, mode: '600' });
  });
});
