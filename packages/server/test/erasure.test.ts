/**
 * delete_account erases: the deleted contacts' words are found nowhere in the database
 * files afterwards, neither in free pages, nor in the search index's segments, nor in the WAL;
 * and `--vacuum` removes the stale index entries SQLite may leave in split pages.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FILE } from '../src/store/db';
import { Sqlite } from '../src/store/sqlite';
import { startTestServer, type TestServer } from './helpers';
import { assertBuilt, SERVER_BIN } from './spawn';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

// Words with digits (kept by the full-text index only) and a word of letters only (kept in the
// typo vocabulary too): the contacts' rows, the index, the vocabulary and the WAL are checked.
const SECRETS = ['codebancaire', 'numerodesecu', 'motdepassedelabanque'];
const secretNotes = (i: number) =>
  `IBAN ${100000 + i * 7}codebancaire, sécu ${200000 + i * 13}numerodesecu, Motdepassedelabanque`;

/** How many times each word occurs in the database file and its WAL, bytes as they are on disk. */
function occurrences(dataDir = t.dataDir, words = SECRETS): Record<string, number> {
  const found = Object.fromEntries(words.map((s) => [s, 0]));
  for (const file of [DB_FILE, `${DB_FILE}-wal`]) {
    const full = path.join(dataDir, file);
    if (!existsSync(full)) continue;
    const bytes = readFileSync(full);
    for (const s of words) {
      for (let at = bytes.indexOf(s); at !== -1; at = bytes.indexOf(s, at + 1)) found[s]!++;
    }
  }
  return found;
}

describe('delete_account erases the data', () => {
  it('leaves none of the deleted contacts’ words in the files', async () => {
    const victim = await t.user('efface');
    const neighbour = await t.user('voisine');
    // Interleaved, so that both accounts share pages and index segments.
    for (let i = 0; i < 150; i++) {
      await victim.client.request('add_contact', { nom: `Client${i}`, prenom: 'Paul', notes: secretNotes(i) });
      await neighbour.client.request('add_contact', { nom: `Voisin${i}`, prenom: 'Anne', notes: `note ${i}` });
    }
    // The search index holds them too (a search by the secret finds the contact).
    const found = await victim.client.request('search_contacts', { query: `${100000 + 7}codebancaire` });
    expect(found.total).toBe(1);
    expect(occurrences().codebancaire).toBeGreaterThan(0);
    expect(occurrences().motdepassedelabanque).toBeGreaterThan(0);

    await victim.client.request('delete_account', { password: victim.password });
    // The purge runs in the background after the reply; give it time, then look.
    let left = occurrences();
    for (let waited = 0; waited < 20_000 && Object.values(left).some((n) => n > 0); waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
      left = occurrences();
    }
    expect(left).toEqual({ codebancaire: 0, numerodesecu: 0, motdepassedelabanque: 0 });

    // The neighbour lost nothing and still finds by the index.
    const theirs = await neighbour.client.request('search_contacts', { query: 'voisin149' });
    expect(theirs.total).toBe(1);
    expect((await neighbour.client.request('whoami', {})).contact_count).toBe(150);
  });

  it('--vacuum rewrites the file whole, keeping what was not deleted', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-vacuum-'));
    try {
      const server = await startTestServer({ dataDir });
      const victim = await server.user('partie');
      const neighbour = await server.user('restee');
      for (let i = 0; i < 300; i++) {
        await victim.client.request('add_contact', { nom: `Effacee${i}`, prenom: 'Paul', notes: secretNotes(i) });
        await neighbour.client.request('add_contact', { nom: `Gardee${i}`, prenom: `Anne${i % 7}` });
      }
      await victim.client.request('delete_account', { password: victim.password });
      await server.close();
      // The deleted account's pages are free (zeroed) pages of the file until it is rewritten.
      const freePages = () => {
        const db = new Sqlite(path.join(dataDir, DB_FILE), { readonly: true });
        try {
          return db.pragma('freelist_count', { simple: true }) as number;
        } finally {
          db.close();
        }
      };
      expect(freePages()).toBeGreaterThan(0);

      assertBuilt();
      const out = execFileSync(process.execPath, [SERVER_BIN, '--vacuum', '--data-dir', dataDir], { encoding: 'utf8' });
      expect(out).toMatch(/rewritten \([\d.]+ MiB -> [\d.]+ MiB\)/);
      expect(freePages()).toBe(0);
      // Stale copies of index entries in split pages are gone with the rest.
      expect(occurrences(dataDir, ['effacee', 'Effacee', ...SECRETS])).toEqual({
        effacee: 0,
        Effacee: 0,
        codebancaire: 0,
        numerodesecu: 0,
        motdepassedelabanque: 0,
      });

      const again = await startTestServer({ dataDir });
      const c = await again.client();
      await c.request('login', { username: 'restee', password: neighbour.password });
      expect((await c.request('whoami')).contact_count).toBe(300);
      expect((await c.request('search_contacts', { query: 'gardee299' })).total).toBe(1);
      await again.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('--vacuum refuses a data directory in use', async () => {
    const server = await startTestServer();
    try {
      await (await server.user()).client.request('add_contact', { nom: 'Occupe' });
      assertBuilt();
      let failure: { status?: number; stderr?: string } = {};
      try {
        execFileSync(process.execPath, [SERVER_BIN, '--vacuum', '--data-dir', server.dataDir], { encoding: 'utf8', stdio: 'pipe' });
      } catch (err) {
        failure = err as { status: number; stderr: string };
      }
      expect(failure.status).toBe(2);
      expect(failure.stderr).toContain('stop the server before --vacuum');
    } finally {
      await server.close();
    }
  });
});
