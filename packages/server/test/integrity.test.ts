/**
 * A database with damaged pages is refused at start with what SQLite found, not served
 * with internal_error; a file too large to check whole before listening is checked in
 * the background, and the server stops itself when it is damaged.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src';
import { DB_FILE } from '../src/store/db';
import type { DatabaseDamaged } from '../src/store/integrity';
import { Sqlite } from '../src/store/sqlite';
import { startTestServer } from './helpers';
import { assertBuilt, SERVER_BIN } from './spawn';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'annuaire-integrity-'));
const damagedDir = path.join(tmp, 'damaged');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A database of 400 contacts, then three of its contacts' pages overwritten with garbage. */
beforeAll(async () => {
  const t = await startTestServer({ dataDir: damagedDir });
  const { client } = await t.user('abime');
  for (let i = 0; i < 400; i++) await client.request('add_contact', { nom: `Contact${i}`, notes: 'n'.repeat(200) });
  await t.close();
  const db = new Sqlite(path.join(damagedDir, DB_FILE), { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.prepare<[], number>("SELECT pageno FROM dbstat WHERE name = 'contacts' AND pagetype = 'leaf' ORDER BY pageno").pluck().all();
  db.close();
  expect(pages.length).toBeGreaterThan(10);
  const fd = openSync(path.join(damagedDir, DB_FILE), 'r+');
  for (const page of pages.slice(3, 6)) writeSync(fd, Buffer.alloc(pageSize, 0xab), 0, pageSize, (page - 1) * pageSize);
  closeSync(fd);
}, 60_000);

/** Runs the bin on `dataDir` until it exits or says it listens. */
function runBin(dataDir: string): Promise<{ exit: number | null; listening: boolean; stderr: string }> {
  assertBuilt();
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [SERVER_BIN, '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    proc.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (d.includes('"listening"')) {
        proc.kill('SIGKILL');
        resolve({ exit: null, listening: true, stderr });
      }
    });
    proc.once('exit', (code) => resolve({ exit: code, listening: false, stderr }));
  });
}

describe('a damaged database', () => {
  it('is refused at start: exit status 3 and what is wrong', async () => {
    const copy = path.join(tmp, 'bin-copy');
    cpSync(damagedDir, copy, { recursive: true });
    const run = await runBin(copy);
    expect(run.listening).toBe(false);
    expect(run.exit).toBe(3);
    expect(run.stderr).toContain(`the database ${path.join(copy, DB_FILE)} is damaged`);
    // SQLite's own findings, then what to do.
    expect(run.stderr).toMatch(/page|tree|malformed/i);
    expect(run.stderr).toContain('restore it from a backup');
  });

  it('too large to check whole at start: found in the background, and the server stops', async () => {
    const copy = path.join(tmp, 'background-copy');
    cpSync(damagedDir, copy, { recursive: true });
    let damaged: DatabaseDamaged | undefined;
    const server = await startServer({ port: 0, dataDir: copy, integrityCheckInlineMaxBytes: 0, onDamaged: (err) => (damaged = err) });
    for (let waited = 0; !damaged && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(damaged?.problems.length).toBeGreaterThan(0);
    await server.close();
    // Closed by itself: nothing listens any more.
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect(server.port, '127.0.0.1', () => {
        s.destroy();
        resolve(false);
      });
      s.on('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  it('a sound database starts, whichever way it is checked', async () => {
    const sound = mkdtempSync(path.join(tmp, 'sound-'));
    for (const inline of [0, undefined]) {
      const t = await startTestServer({ dataDir: sound, ...(inline === undefined ? {} : { integrityCheckInlineMaxBytes: inline }) });
      const { client } = await t.user();
      await client.request('add_contact', { nom: 'Sain' });
      await t.close();
    }
  });
});
