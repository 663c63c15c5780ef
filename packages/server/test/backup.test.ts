/**
 * `annuaire-server backup DEST`: a consistent copy taken while the server runs and writes go on,
 * restored as README says (stop, put the copy in place, start): every account and contact of
 * the copy is there, and clients that saw later changes are told to reload.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DB_FILE } from '../src/store/db';
import { RESTORE_SEQ_JUMP } from '../src/store/backup';
import { protocolError, startTestServer } from './helpers';
import { assertBuilt, SERVER_BIN } from './spawn';

const run = promisify(execFile);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'annuaire-backup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('annuaire-server backup', () => {
  it('copies a consistent point while writes go on; the copy restores, and clients past it reload', async () => {
    assertBuilt();
    const t = await startTestServer();
    const dest = path.join(scratch, 'copie.sqlite');
    try {
      const { client, username, password } = await t.user();
      for (let i = 0; i < 50; i++) await client.request('add_contact', { nom: `Avant${i}` });
      // Writes go on during the backup, one at a time: the copy holds a prefix of them, whole.
      let writing = true;
      let written = 50;
      const writer = (async () => {
        while (writing) {
          await client.request('add_contact', { nom: `Pendant${written}`, notes: 'x'.repeat(500) });
          written++;
        }
      })();
      const { stdout } = await run(process.execPath, [SERVER_BIN, 'backup', dest, '--data-dir', t.dataDir]);
      writing = false;
      await writer;
      expect(stdout).toMatch(/backup written to .*copie\.sqlite/);
      expect(statSync(dest).mode & 0o777).toBe(0o600);

      const copy = new Database(dest, { readonly: true });
      const inCopy = copy.prepare('SELECT count(*) AS n FROM contacts').get() as { n: number };
      const annuaire = copy.prepare('SELECT change_seq, change_floor, contact_count FROM annuaires').get() as Record<string, number>;
      const journal = copy.prepare('SELECT count(*) AS n, max(seq) AS top FROM changes').get() as { n: number; top: number };
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      copy.close();
      expect(inCopy.n).toBeGreaterThanOrEqual(50);
      expect(inCopy.n).toBeLessThanOrEqual(written);
      // One point in time: every contact and its journal entry, the counters agreeing.
      expect(annuaire).toEqual({ change_seq: inCopy.n + RESTORE_SEQ_JUMP, change_floor: inCopy.n + RESTORE_SEQ_JUMP, contact_count: inCopy.n });
      expect(journal).toEqual({ n: inCopy.n, top: inCopy.n });
      const { seq: liveSeq } = await client.request('list_contacts', { limit: 1 });
      expect(liveSeq).toBe(written);

      // Restore: stop, replace the file (and drop the old WAL), start.
      await t.server.close();
      for (const f of ['', '-wal', '-shm']) rmSync(path.join(t.dataDir, DB_FILE + f), { force: true });
      copyFileSync(dest, path.join(t.dataDir, DB_FILE));
      await t.restart();
      const again = await t.client();
      await again.request('login', { username, password });
      const page = await again.request('list_contacts', { limit: 500 });
      expect(page.total).toBe(inCopy.n);
      expect(page.seq).toBe(inCopy.n + RESTORE_SEQ_JUMP);
      // A terminal that saw the live database's later numbers reloads, whatever it had seen.
      for (const seen of [0, inCopy.n, written]) {
        expect((await protocolError(again.request('changes_since', { seq: seen }))).code).toBe('resync_required');
      }
      const added = (await again.request('add_contact', { nom: 'Après' })).contact;
      expect((await again.request('changes_since', { seq: page.seq! })).changes).toEqual([
        { kind: 'changed', seq: page.seq! + 1, contact_id: added.id, contact: added },
      ]);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('refuses to overwrite a file, and says so', async () => {
    assertBuilt();
    const t = await startTestServer();
    try {
      const dest = path.join(scratch, 'deja.sqlite');
      await run(process.execPath, [SERVER_BIN, 'backup', dest, '--data-dir', t.dataDir]);
      const again = await run(process.execPath, [SERVER_BIN, 'backup', dest, '--data-dir', t.dataDir]).catch((e: { code: number; stderr: string }) => e);
      expect(again).toMatchObject({ code: 1, stderr: expect.stringMatching(/already exists/) });
    } finally {
      await t.close();
    }
  });
});
