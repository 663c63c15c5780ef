/**
 * delete_account erases: the deleted contacts' words are found nowhere in the database
 * files afterwards, neither in free pages, nor in the search index's segments, nor in the WAL.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FILE } from '../src/store/db';
import { startTestServer, type TestServer } from './helpers';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

// Digits make them words the typo vocabulary never keeps: what is checked here is the
// contacts' rows, the full-text index and the WAL (the vocabulary is the search index's own).
const SECRETS = ['codebancaire', 'numerodesecu'];
const secretNotes = (i: number) => `IBAN ${100000 + i * 7}codebancaire, sécu ${200000 + i * 13}numerodesecu`;

/** How many times each secret occurs in the database file and its WAL, bytes as they are on disk. */
function occurrences(): Record<string, number> {
  const found = Object.fromEntries(SECRETS.map((s) => [s, 0]));
  for (const file of [DB_FILE, `${DB_FILE}-wal`]) {
    const full = path.join(t.dataDir, file);
    if (!existsSync(full)) continue;
    const bytes = readFileSync(full);
    for (const s of SECRETS) {
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

    await victim.client.request('delete_account', { password: victim.password });
    // The purge runs in the background after the reply; give it time, then look.
    let left = occurrences();
    for (let waited = 0; waited < 20_000 && Object.values(left).some((n) => n > 0); waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
      left = occurrences();
    }
    expect(left).toEqual({ codebancaire: 0, numerodesecu: 0 });

    // The neighbour lost nothing and still finds by the index.
    const theirs = await neighbour.client.request('search_contacts', { query: 'voisin149' });
    expect(theirs.total).toBe(1);
    expect((await neighbour.client.request('whoami', {})).contact_count).toBe(150);
  });
});
