import type { AnnuaireClient, ContactFields } from '@annuaire/protocol';
import { Sqlite as Database } from '../src/store/sqlite';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FILE } from '../src/store/db';
import { MIGRATIONS } from '../src/store/migrations';
import { onPostgres, startTestServer, type TestServer } from './helpers';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

/** A fresh user holding exactly `contacts`. */
async function annuaire(contacts: ContactFields[]): Promise<AnnuaireClient> {
  const { client } = await t.user();
  for (const c of contacts) await client.request('add_contact', c);
  return client;
}

/** "Nom Prénom" of every match, in result order, and the total. */
async function find(client: AnnuaireClient, query: string, limit = 100, offset = 0) {
  const { contacts, total } = await client.request('search_contacts', { query, limit, offset });
  return { names: contacts.map((c) => `${c.nom} ${c.prenom}`.trim()), total };
}
const names = async (client: AnnuaireClient, query: string) => (await find(client, query)).names;

describe('search_contacts matching', () => {
  let c: AnnuaireClient;
  beforeAll(async () => {
    c = await annuaire([
      { nom: 'Lefèvre', prenom: 'Hélène', email: 'helene.lefevre@exemple.fr', telephone: '06 12 34 56 78' },
      { nom: 'Martin', prenom: 'Helene', telephone: '+33 6 98 76 54 32' },
      { nom: 'Dupont', prenom: 'Jean', telephone: '0611223344', entreprise: 'Boulangerie Dupain' },
      { nom: 'Dupré', prenom: 'Marie', telephone: '01.23.45.67.89' },
      { nom: 'Durand', prenom: 'Jean-Pierre', fonction: 'Ingénieur' },
      { nom: 'Lefebvre', prenom: 'Paul' },
      { nom: 'Cœur', prenom: 'Léa' },
      { nom: 'Roux', prenom: 'Laetitia' },
      { nom: 'Bernard', prenom: 'Lætitia', adresse: { rue: '3 place de l’Œuvre', ville: 'Besançon' } },
    ]);
  });

  it('ignores accents in both directions, and case', async () => {
    expect(await names(c, 'helene')).toEqual(['Lefèvre Hélène', 'Martin Helene']);
    expect(await names(c, 'Hélène')).toEqual(['Lefèvre Hélène', 'Martin Helene']);
    expect(await names(c, 'HÉLÈNE')).toEqual(['Lefèvre Hélène', 'Martin Helene']);
    expect(await names(c, 'lefevre')).toEqual(['Lefèvre Hélène', 'Lefebvre Paul']); // then a typo away
    expect(await names(c, 'ingenieur')).toEqual(['Durand Jean-Pierre']);
    expect(await names(c, 'besancon')).toEqual(['Bernard Lætitia']);
  });

  it('spells French ligatures out, both ways', async () => {
    expect(await names(c, 'coeur')).toEqual(['Cœur Léa']);
    expect(await names(c, 'cœur')).toEqual(['Cœur Léa']);
    expect(await names(c, 'laetitia')).toEqual(['Bernard Lætitia', 'Roux Laetitia']);
    expect(await names(c, 'lætitia')).toEqual(['Bernard Lætitia', 'Roux Laetitia']);
    expect(await names(c, 'oeuvre')).toEqual(['Bernard Lætitia']);
  });

  it('matches a prefix of each word, words in any order, across fields', async () => {
    expect(await names(c, 'dup')).toEqual(['Dupont Jean', 'Dupré Marie']);
    expect(await names(c, 'jean dup')).toEqual(['Dupont Jean']);
    expect(await names(c, 'dup jean')).toEqual(['Dupont Jean']);
    expect(await names(c, 'hel lef')).toEqual(['Lefèvre Hélène']);
    expect(await names(c, 'lefevre helene')).toEqual(['Lefèvre Hélène']);
    expect(await names(c, 'pierre')).toEqual(['Durand Jean-Pierre']);
    expect(await names(c, 'jean boulangerie')).toEqual(['Dupont Jean']);
    expect(await names(c, 'helene.lefevre@exemple.fr')).toEqual(['Lefèvre Hélène']);
    expect(await names(c, 'dup zzz')).toEqual([]);
  });

  it('finds a phone number however it is written, and from its first digits', async () => {
    for (const q of ['0612345678', '06 12 34 56 78', '06.12.34.56.78', '06-12-34-56-78', '+33 6 12 34 56 78', '+33612345678', '0033 6 12 34 56 78', '06 12 34']) {
      expect(await names(c, q), q).toEqual(['Lefèvre Hélène']);
    }
    expect(await names(c, '06 98 76 54 32')).toEqual(['Martin Helene']);
    expect(await names(c, '+33 6 11 22')).toEqual(['Dupont Jean']);
    expect(await names(c, '0123456789')).toEqual(['Dupré Marie']);
    expect(await names(c, 'jean 0611')).toEqual(['Dupont Jean']);
  });

  it('tolerates one typo in a word of 5 letters or more', async () => {
    // Lefebre: a v missing (Lefebvre), or b for v (Lefèvre).
    expect(await names(c, 'Lefebre')).toEqual(['Lefebvre Paul', 'Lefèvre Hélène']);
    expect(await names(c, 'duppnt')).toEqual(['Dupont Jean']); // substitution
    expect(await names(c, 'dupnot')).toEqual(['Dupont Jean']); // transposition
    expect(await names(c, 'duponnt')).toEqual(['Dupont Jean']); // insertion
    expect(await names(c, 'helene lefevr')).toEqual(['Lefèvre Hélène']); // a prefix, not a typo
    expect(await names(c, 'hlene lefebre')).toEqual(['Lefèvre Hélène']); // one typo in each word
    expect(await names(c, 'jaen')).toEqual([]); // 4 letters: exact or prefix only
    expect(await names(c, 'dpuontt')).toEqual([]); // two typos
  });

  it('takes any text as a query: FTS5 syntax and exotic letters are only words', async () => {
    for (const q of ['AND', 'NOT dup', 'dup OR', '"', '*', 'NEAR(a b)', 'names:dup', '{names}', 'ǂdup', '𞤀𞤁', '½', '中文', 'ｆｕｌｌ', 'x\u0301', '٠٦١٢']) {
      const { total } = await c.request('search_contacts', { query: q });
      expect(total, q).toBeGreaterThanOrEqual(0);
    }
    expect(await names(c, 'NOT dup')).toEqual([]);
  });

  it('returns nothing for a query of punctuation only, and everything for an empty one', async () => {
    expect((await find(c, '   ')).total).toBe(9);
    expect(await names(c, '?!')).toHaveLength(9);
  });
});

describe('search_contacts ranking', () => {
  it('puts exact before prefix before fuzzy, names before other fields, then nom and prénom', async () => {
    const c = await annuaire([
      { nom: 'Marton', prenom: 'Fabien' }, // one typo away: fuzzy
      { nom: 'Durand', prenom: 'Eve', entreprise: 'Martinique Voyages' }, // prefix, other field
      { nom: 'Bernard', prenom: 'Luc', adresse: { rue: 'rue Martin' } }, // exact, other field
      { nom: 'Martinez', prenom: 'Bob' }, // prefix, names
      { nom: 'Martin', prenom: 'Zoé' }, // exact, names
      { nom: 'Aubert', prenom: 'Martin' }, // exact, names (prénom)
      { nom: 'Martin', prenom: 'Alice' }, // exact, names
      { nom: 'Zola', prenom: 'Émile' }, // no match
    ]);
    const expected = ['Aubert Martin', 'Martin Alice', 'Martin Zoé', 'Martinez Bob', 'Bernard Luc', 'Durand Eve', 'Marton Fabien'];
    expect(await find(c, 'martin')).toEqual({ names: expected, total: 7 });
    // Pages that cut across the tiers give the same order.
    const pages = [];
    for (let offset = 0; offset < 8; offset += 3) pages.push(...(await find(c, 'martin', 3, offset)).names);
    expect(pages).toEqual(expected);
    expect((await find(c, 'martin', 2, 6)).names).toEqual(['Marton Fabien']);
  });

  it('ranks a word typed exactly above its near misses', async () => {
    const c = await annuaire([{ nom: 'Lefèvre' }, { nom: 'Lefebvre' }, { nom: 'Lefebre' }, { nom: 'Lefebure' }]);
    const { names: found } = await find(c, 'lefebre');
    expect(found[0]).toBe('Lefebre');
    expect(found.slice(1).sort()).toEqual(['Lefebure', 'Lefebvre', 'Lefèvre'].sort());
    expect(found.slice(1)).toEqual(['Lefebure', 'Lefebvre', 'Lefèvre']); // nom order inside a tier
  });

  it('orders by nom then prénom inside a tier whatever the insertion order', async () => {
    const prenoms = ['Zoé', 'Yves', 'Xavier', 'Willy', 'Victor', 'Ursule', 'Théo', 'Sarah', 'Rémi', 'Quentin', 'Paul', 'Odile'];
    const c = await annuaire([
      ...prenoms.map((prenom) => ({ nom: 'Dupont', prenom })),
      { nom: 'Dupontel', prenom: 'Albert' },
      { nom: 'Dupon', prenom: 'Zazie' },
      { nom: 'Dupond', prenom: 'Anne' },
    ]);
    const all = (await find(c, 'dupon')).names;
    expect(all).toEqual([
      'Dupon Zazie',
      'Dupond Anne',
      ...[...prenoms].sort((a, b) => a.localeCompare(b)).map((p) => `Dupont ${p}`),
      'Dupontel Albert',
    ]);
  });
});

describe('search_contacts pagination', () => {
  it('pages through the results with the total on every page', async () => {
    const n = 25;
    const order = Array.from({ length: n }, (_, i) => `Prénom${String(i).padStart(2, '0')}`);
    // Inserted shuffled, so that storage order is not result order.
    const shuffled = [...order].sort((a, b) => ((a.charCodeAt(7) * 7 + a.charCodeAt(8) * 13) % 11) - ((b.charCodeAt(7) * 7 + b.charCodeAt(8) * 13) % 11));
    const c = await annuaire(shuffled.map((prenom) => ({ nom: 'Pagination', prenom })));
    const seen: string[] = [];
    for (let offset = 0; offset < n; offset += 10) {
      const page = await find(c, 'pagin', 10, offset);
      expect(page.total).toBe(n);
      expect(page.names.length).toBe(Math.min(10, n - offset));
      seen.push(...page.names);
    }
    expect(seen).toEqual(order.map((p) => `Pagination ${p}`));
    expect(await find(c, 'pagin', 10, 30)).toEqual({ names: [], total: n });
  });

  it('keeps the total current as contacts come and go', async () => {
    const c = await annuaire([{ nom: 'Total', prenom: 'Un' }, { nom: 'Total', prenom: 'Deux' }, { nom: 'Total', prenom: 'Trois' }]);
    expect((await find(c, 'total', 1)).total).toBe(3);
    expect((await find(c, 'total', 1)).total).toBe(3);
    const { contact } = await c.request('add_contact', { nom: 'Total', prenom: 'Quatre' });
    expect((await find(c, 'total', 1)).total).toBe(4);
    await c.request('update_contact', { contact_id: contact.id, version: 1, nom: 'Autre' });
    expect((await find(c, 'total', 1)).total).toBe(3);
    const [un] = (await c.request('search_contacts', { query: 'total un' })).contacts;
    await c.request('delete_contact', { contact_id: un!.id });
    expect((await find(c, 'total', 1)).total).toBe(2);
  });
});

describe('search_contacts isolation and upkeep', () => {
  it('never shows another user’s contacts, nor counts them', async () => {
    const a = await annuaire([{ nom: 'Dupont', prenom: 'Alice' }]);
    const b = await annuaire([{ nom: 'Dupont', prenom: 'Bruno' }, { nom: 'Dupuis', prenom: 'Bea' }]);
    expect(await find(a, 'dup')).toEqual({ names: ['Dupont Alice'], total: 1 });
    expect(await find(b, 'dup')).toEqual({ names: ['Dupont Bruno', 'Dupuis Bea'], total: 2 });
    expect(await find(a, 'bruno')).toEqual({ names: [], total: 0 });
  });

  it('follows updates and deletes', async () => {
    const c = await annuaire([]);
    const { contact } = await c.request('add_contact', { nom: 'Avant', prenom: 'Anne', telephone: '06 00 00 00 01' });
    const { contact: renamed } = await c.request('update_contact', { contact_id: contact.id, version: 1, nom: 'Après' });
    expect(await names(c, 'avant')).toEqual([]);
    expect(await names(c, 'apres anne')).toEqual(['Après Anne']);
    await c.request('update_contact', { contact_id: contact.id, version: renamed.version, telephone: '07 11 11 11 11' });
    expect(await names(c, '0600000001')).toEqual([]);
    expect(await names(c, '07 11')).toEqual(['Après Anne']);
    await c.request('delete_contact', { contact_id: contact.id });
    expect(await find(c, 'apres')).toEqual({ names: [], total: 0 });
  });

  it('forgets an account’s contacts when the account is deleted', async () => {
    const { client, password } = await t.user();
    await client.request('add_contact', { nom: 'Éphémère', prenom: 'Paul' });
    await client.request('delete_account', { password });
    const other = await annuaire([{ nom: 'Éphémère', prenom: 'Marc' }]);
    expect(await find(other, 'ephem')).toEqual({ names: ['Éphémère Marc'], total: 1 });
  });
});

/** What migration 9 (the change journal) adds, taken off to stand for an older database. */
const WITHOUT_JOURNAL = `
  DROP TABLE throttle; DROP TABLE rate_events;
  DROP TABLE changes;
  ALTER TABLE annuaires DROP COLUMN change_seq; ALTER TABLE annuaires DROP COLUMN change_floor;
  ALTER TABLE annuaires DROP COLUMN change_tombstones;
`;

// SQLite's own migrations (PostgreSQL has its own, tested in pg-backend.test.ts).
describe.skipIf(onPostgres)('search index migration', () => {
  it('indexes contacts written before the index existed (a version 1 database)', async () => {
    const s = await startTestServer();
    try {
      const { client, username, password } = await s.user('migration');
      await client.request('add_contact', { nom: 'Lefèvre', prenom: 'Hélène', telephone: '06 12 34 56 78' });
      await client.request('add_contact', { nom: 'Dupont', prenom: 'Jean' });
      await client.close();
      await s.server.close();
      // Turn the database back into what migration 1 left: the old index, no new tables.
      const db = new Database(path.join(s.dataDir, DB_FILE));
      db.exec(WITHOUT_JOURNAL);
      db.exec(`
        DROP TRIGGER contacts_usage_insert; DROP TRIGGER contacts_usage_update; DROP TRIGGER contacts_usage_delete;
        DROP TABLE search_fts; DROP TABLE search_keys; DROP TABLE search_vocab; DROP TABLE search_typo; DROP TABLE search_state;
        DROP TABLE contact_sources;
        ALTER TABLE annuaires DROP COLUMN contact_count; ALTER TABLE annuaires DROP COLUMN data_bytes;
        CREATE VIRTUAL TABLE contacts_fts USING fts5(names, other, content = '', contentless_delete = 1,
          tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
      `);
      db.pragma('user_version = 1');
      db.close();
      await s.restart();
      const again = await s.client();
      await again.request('login', { username, password });
      expect(await names(again, 'helene')).toEqual(['Lefèvre Hélène']);
      expect(await names(again, '+33 6 12 34')).toEqual(['Lefèvre Hélène']);
      expect(await names(again, 'dupnot')).toEqual(['Dupont Jean']);
      // Migration 9 journals the contacts already there: changes_since(0) is exact from the start.
      const journal = await again.request('changes_since', { seq: 0 });
      expect(journal.changes.map((c) => [c.seq, c.kind === 'changed' ? c.contact.nom : null])).toEqual([[1, 'Lefèvre'], [2, 'Dupont']]);
      expect(journal.seq).toBe(2);
      await again.request('add_contact', { nom: 'Après' });
      expect((await again.request('changes_since', { seq: 2 })).changes.map((c) => c.seq)).toEqual([3]);
    } finally {
      await s.close();
    }
  });

  it('moves a database from name buckets to keys and vocabulary per annuaire (the issue 9 migration)', async () => {
    const s = await startTestServer();
    try {
      const a = await s.user('migration5a');
      const b = await s.user('migration5b');
      await a.client.request('add_contact', { nom: 'Lefèvre', prenom: 'Hélène' });
      await a.client.request('add_contact', { nom: 'Смирнова', prenom: 'Анна' });
      await b.client.request('add_contact', { nom: 'Dupont', prenom: 'Jean' });
      await a.client.close();
      await b.client.close();
      await s.server.close();
      // The index migration 5 left (unchanged by 6 and 7): one key space with name buckets, one vocabulary for everyone.
      const db = new Database(path.join(s.dataDir, DB_FILE));
      db.exec(WITHOUT_JOURNAL);
      db.exec(`
        DROP TABLE search_fts; DROP TABLE search_keys; DROP TABLE search_vocab; DROP TABLE search_typo;
        CREATE TABLE search_keys (skey INTEGER PRIMARY KEY,
          contact_id INTEGER NOT NULL UNIQUE REFERENCES contacts(id) ON DELETE CASCADE, sort TEXT NOT NULL);
        CREATE VIRTUAL TABLE search_fts USING fts5(words, content = '', contentless_delete = 1,
          tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5', detail = none);
        CREATE TABLE search_vocab (word TEXT PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE search_typo (variant TEXT NOT NULL, word TEXT NOT NULL, PRIMARY KEY (variant, word)) WITHOUT ROWID;
        INSERT INTO search_vocab VALUES ('lefevre'), ('dupont');
        UPDATE search_state SET version = 1;
      `);
      // The version just before the issue 9 migration: only it runs again.
      const keysPerAnnuaire = MIGRATIONS.find((m) => m.name.startsWith('search index: keys in exact name order'))!;
      db.pragma(`user_version = ${keysPerAnnuaire.version - 1}`);
      db.close();
      await s.restart();
      const login = async (u: { username: string; password: string }) => {
        const c = await s.client();
        await c.request('login', { username: u.username, password: u.password });
        return c;
      };
      const ca = await login(a);
      const cb = await login(b);
      expect(await names(ca, 'lefebre')).toEqual(['Lefèvre Hélène']);
      expect(await names(ca, 'смир')).toEqual(['Смирнова Анна']);
      expect(await names(cb, 'dupnot')).toEqual(['Dupont Jean']);
      expect(await find(cb, 'lefebre')).toEqual({ names: [], total: 0 });
      expect(await find(ca, 'dupnot')).toEqual({ names: [], total: 0 });
      await s.server.close();
      const after = new Database(path.join(s.dataDir, DB_FILE), { readonly: true });
      // Every word now belongs to an annuaire; the old shared rows are gone.
      expect(after.prepare('SELECT count(DISTINCT annuaire_id) FROM search_vocab').pluck().get()).toBe(2);
      expect(after.prepare('SELECT count(*) FROM search_keys WHERE skey >> 41 != annuaire_id').pluck().get()).toBe(0);
      after.close();
    } finally {
      await s.close();
    }
  });
});
