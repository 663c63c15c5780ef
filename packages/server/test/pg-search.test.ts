/**
 * Search on PostgreSQL (store/postgres/search.ts) against search on SQLite, on real databases
 * of both: the same generated contacts (names in ten scripts, shared e-mail domains, phones
 * written every way, duplicates, crowds of completions and of typo neighbours) written into
 * SQLite through the contact service and into PostgreSQL through PgSearchIndex, then the same
 * queries on both: the same ids in the same order, the same totals. Then what search.test.ts
 * asks of the index itself, on PostgreSQL: renames and deletes leave no stale match, annuaires
 * never see each other's contacts or words, removeAnnuaire forgets everything.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config';
import { createServices, type Services } from '../src/services';
import { recordOf } from '../src/services/contact-record';
import { queryWords } from '../src/services/search';
import type { AuthSession } from '../src/services/session';
import { openDatabase } from '../src/store/db';
import { PgSearchIndex } from '../src/store/postgres/search';
import type { ContactRow } from '../src/store/rows';
import type { SqliteDatabase } from '../src/store/sqlite';
import { fold } from '../src/text/fold';
import { splitWords, withInnerStarts } from '../src/text/words';
import { migrate } from '../src/store/postgres/migrate';
import { withTransaction } from '../src/store/postgres/pool';
import { createTestDatabase, postgresUnavailable, type TestDatabase } from './pg';
import { generatedContacts, type Fields, queriesFor, rng } from './pg-search-data';

const unavailable = await postgresUnavailable();

const index = new PgSearchIndex();
let dir: string;
let db: SqliteDatabase;
let services: Services;
let pgdb: TestDatabase & { pool: pg.Pool };
let users = 0;

beforeAll(async () => {
  if (unavailable) return;
  dir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-pg-search-'));
  ({ db } = openDatabase(dir));
  const unlimited = { maxContacts: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER };
  services = await createServices(db, { ...defaultConfig(), quota: unlimited, onRevoke: () => {} });
  const created = await createTestDatabase();
  pgdb = { ...created, pool: new pg.Pool({ connectionString: created.url, max: 4 }) };
  await migrate(pgdb.pool);
}, 60_000);
afterAll(async () => {
  if (unavailable) return;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  await pgdb.pool.end();
  await pgdb.drop();
});

/** One annuaire on each side: a SQLite account, and a PostgreSQL user and annuaire. */
interface Pair {
  session: AuthSession;
  pgAnnuaire: number;
}

async function newPair(): Promise<Pair> {
  const name = `pgsearch${++users}`;
  await services.accounts.createAccount(name, 'mot-de-passe-long', '127.0.0.1');
  const { session } = await services.accounts.login(name, 'mot-de-passe-long', '127.0.0.1');
  const now = new Date().toISOString();
  const u = await pgdb.pool.query<{ id: string }>(
    "INSERT INTO users (username, username_key, password_hash, created_at) VALUES ($1, $1, 'x', $2) RETURNING id",
    [name, now],
  );
  const a = await pgdb.pool.query<{ id: string }>(
    'INSERT INTO annuaires (user_id, name, created_at) VALUES ($1, $2, $3) RETURNING id',
    [u.rows[0]!.id, name, now],
  );
  return { session, pgAnnuaire: Number(a.rows[0]!.id) };
}

const rowOf = (id: number) => db.prepare<[number], ContactRow>('SELECT * FROM contacts WHERE id = ?').get(id)!;

/** Writes the SQLite contact's row and search entries into PostgreSQL, under the same id. */
async function mirror(c: pg.PoolClient, p: Pair, id: number): Promise<void> {
  const row = rowOf(id);
  await c.query(
    `INSERT INTO contacts (id, annuaire_id, nom, prenom, nom_key, prenom_key, data, version, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
     ON CONFLICT (id) DO UPDATE SET nom = $3, prenom = $4, nom_key = $5, prenom_key = $6, data = $7, version = $8`,
    [id, p.pgAnnuaire, row.nom, row.prenom, row.nom_key, row.prenom_key, row.data, row.version, row.created_at],
  );
  await index.put(c, p.pgAnnuaire, id, recordOf(row, 'FR'));
}

async function add(p: Pair, contacts: Fields[]): Promise<number[]> {
  const ids: number[] = [];
  for (const f of contacts) ids.push((await services.contacts.add(p.session, f)).id);
  await withTransaction(pgdb.pool, async (c) => {
    for (const id of ids) await mirror(c, p, id);
  });
  return ids;
}

async function rename(p: Pair, id: number, f: Partial<Fields>): Promise<void> {
  const c = await services.contacts.get(p.session, id);
  await services.contacts.update(p.session, id, c.version, f);
  await withTransaction(pgdb.pool, (t) => mirror(t, p, id));
}

async function remove(p: Pair, id: number): Promise<void> {
  await services.contacts.delete(p.session, id);
  await withTransaction(pgdb.pool, async (t) => {
    await index.remove(t, p.pgAnnuaire, id);
    await t.query('DELETE FROM contacts WHERE id = $1', [id]);
  });
}

async function sqliteSearch(p: Pair, query: string, limit: number, offset: number) {
  const r = await services.contacts.search(p.session, query, limit, offset);
  return { ids: r.contacts.map((c) => c.id), total: r.total, lowerBound: r.total_is_lower_bound === true };
}

async function pgSearch(p: Pair, query: string, limit: number, offset: number) {
  const r = await index.search(pgdb.pool, p.pgAnnuaire, queryWords(query), limit, offset);
  return { ids: r.ids, total: r.total, lowerBound: r.totalIsLowerBound };
}

/** Every query, at every page shape, on both: the same ids in the same order, the same totals. */
async function expectSameResults(p: Pair, queries: string[], pages: [number, number][]) {
  let compared = 0;
  for (const q of queries) {
    if (queryWords(q).length === 0) continue;
    for (const [limit, offset] of pages) {
      const expected = await sqliteSearch(p, q, limit, offset);
      expect(await pgSearch(p, q, limit, offset), `${JSON.stringify(q)} limit ${limit} offset ${offset}`).toEqual(expected);
      compared++;
    }
  }
  return compared;
}

describe.skipIf(unavailable !== undefined)('search on PostgreSQL: the index itself', () => {
  const idsFor = async (p: Pair, q: string) => (await pgSearch(p, q, 500, 0)).ids;

  it('leaves no stale match after a rename or a delete', async () => {
    const a = await newPair();
    const [dupont, lefevre] = await add(a, [
      { nom: 'Dupont', prenom: 'Jean', emails: [{ value: 'jean.dupont@gmail.com', type: 'home' }] },
      { nom: 'Lefèvre', prenom: 'Hélène', telephones: [{ value: '06 12 34 56 78', type: 'mobile' }] },
    ]);
    expect(await idsFor(a, 'dupont')).toEqual([dupont]);
    await rename(a, dupont!, { nom: 'Durand', emails: [] });
    expect(await idsFor(a, 'dupont')).toEqual([]);
    expect(await idsFor(a, 'dupnot')).toEqual([]); // nor through a typo fix
    expect(await idsFor(a, 'gmail')).toEqual([]);
    expect(await idsFor(a, 'durand jean')).toEqual([dupont]);
    expect(await idsFor(a, '+33 6 12 34')).toEqual([lefevre]);
    await remove(a, lefevre!);
    for (const q of ['lefevre', 'hel', '0612', 'lefebre']) expect(await idsFor(a, q), q).toEqual([]);
    const left = await pgdb.pool.query('SELECT count(*)::int AS n FROM search_terms WHERE contact_id = $1', [lefevre]);
    expect(left.rows[0].n).toBe(0);
  });

  it('never shows one annuaire the contacts, counts or typo vocabulary of another', async () => {
    const a = await newPair();
    const b = await newPair();
    const [mine] = await add(a, [{ nom: 'Lefebvre', prenom: 'Paul' }]);
    // Twenty words one edit from « lefebre » that come before « lefebvre » in the candidates'
    // order: were they A's vocabulary, they would take every one of the 16 typo fixes.
    const crowd = 'abcdefghijklmnopqrst'.split('').map((x) => `${x}efebre`);
    const theirs = await add(b, [{ nom: 'Lefebre', prenom: 'Zoé', notes: crowd.join(' ') }, { nom: 'Smirnova', prenom: 'Анна' }]);
    expect(await pgSearch(a, 'lefebre', 20, 0)).toEqual({ ids: [mine], total: 1, lowerBound: false });
    expect(await pgSearch(a, 'smirnova', 20, 0)).toEqual({ ids: [], total: 0, lowerBound: false });
    expect(await pgSearch(a, 'анна', 20, 0)).toEqual({ ids: [], total: 0, lowerBound: false });
    expect(await idsFor(b, 'lefebre')).toEqual([theirs[0]]);
    const leaked = await pgdb.pool.query(
      `SELECT (SELECT count(*) FROM search_vocab WHERE annuaire_id = $1 AND word = ANY($2)) +
              (SELECT count(*) FROM search_typo WHERE annuaire_id = $1 AND word = ANY($2)) AS n`,
      [a.pgAnnuaire, crowd],
    );
    expect(Number(leaked.rows[0].n)).toBe(0);
  });

  it('removeAnnuaire forgets the annuaire’s terms and vocabulary, and only them', async () => {
    const a = await newPair();
    const b = await newPair();
    await add(a, [{ nom: 'Martin', prenom: 'Zoé', notes: 'motdepassebancaire' }]);
    const [kept] = await add(b, [{ nom: 'Martin', prenom: 'Léa' }]);
    await withTransaction(pgdb.pool, (t) => index.removeAnnuaire(t, a.pgAnnuaire));
    for (const table of ['search_terms', 'search_vocab', 'search_typo']) {
      const r = await pgdb.pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE annuaire_id = $1`, [a.pgAnnuaire]);
      expect(r.rows[0].n, table).toBe(0);
    }
    expect(await idsFor(a, 'motdepasse')).toEqual([]);
    expect(await idsFor(b, 'martin')).toEqual([kept]);
  });

  it('rebuilds itself from the contacts when derived by other rules, and only then', async () => {
    const a = await newPair();
    const [id] = await add(a, [{ nom: 'Rebuild', prenom: 'Me', emails: [{ value: 'me@rebuilt.example', type: 'home' }] }]);
    // As if written before this index existed: the contact is there, its terms are not.
    await pgdb.pool.query('DELETE FROM search_terms WHERE contact_id = $1', [id]);
    await pgdb.pool.query('UPDATE search_state SET version = 0');
    expect(await index.isCurrent(pgdb.pool)).toBe(false);
    expect(await idsFor(a, 'rebuilt')).toEqual([]);
    const derive = (row: ContactRow) => recordOf(row, 'FR');
    await withTransaction(pgdb.pool, (t) => index.ensureCurrent(t, derive));
    expect(await index.isCurrent(pgdb.pool)).toBe(true);
    expect(await idsFor(a, 'rebuilt')).toEqual([id]);
    expect(await idsFor(a, 'rebuld me')).toEqual([id]);
    // Current: nothing is cleared or rewritten.
    await pgdb.pool.query('DELETE FROM search_terms WHERE contact_id = $1', [id]);
    await withTransaction(pgdb.pool, (t) => index.ensureCurrent(t, derive));
    expect(await idsFor(a, 'rebuilt')).toEqual([]);
  });

  it('finds every script by word starts, and CJK names by any part', async () => {
    const a = await newPair();
    const people: Fields[] = [
      { nom: 'Смирнова', prenom: 'Анна' },
      { nom: 'Παπαδόπουλος', prenom: 'Νίκος' },
      { nom: 'محمد', prenom: 'علي' },
      { nom: 'כהן', prenom: 'דוד' },
      { nom: '王小明', prenom: '' },
      { nom: '佐藤', prenom: 'さくら' },
      { nom: '김민준', prenom: '' },
      { nom: 'Nguyễn', prenom: 'Đặng' },
    ];
    const ids = await add(a, people);
    const cases: [string, number][] = [
      ['смир', 0],
      ['СМИРНОВА', 0],
      ['παπαδοπουλος', 1],
      ['Παπαδόπουλοσ', 1],
      ['νικ', 1],
      ['محم', 2],
      ['כה', 3],
      ['小明', 4],
      ['明', 4],
      ['佐', 5],
      ['さくら', 5],
      ['민준', 6],
      ['nguyen dang', 7],
    ];
    for (const [q, k] of cases) expect(await idsFor(a, q), q).toEqual([ids[k]]);
    // Each word of each name, folded as the index folds it, finds its contact on both backends.
    const words = people.flatMap((f) => withInnerStarts(splitWords(fold(`${f.nom} ${f.prenom}`))));
    await expectSameResults(a, words, [[20, 0]]);
  });
});

describe.skipIf(unavailable !== undefined)('search on PostgreSQL agrees with search on SQLite', () => {
  it('for generated contacts in every script and many kinds of query, pages and totals', async () => {
    const a = await newPair();
    const b = await newPair();
    const people = generatedContacts(rng(14), 700);
    const ids = await add(a, people);
    await add(b, generatedContacts(rng(41), 150));
    const queries = queriesFor(rng(7), people, 500);
    const pages: [number, number][] = [
      [20, 0],
      [1, 0],
      [7, 3],
      [50, 40],
    ];
    const compared = await expectSameResults(a, queries, pages);
    expect(compared).toBeGreaterThan(1500);
    // Then renames and deletes, and the same again.
    const r = rng(3);
    for (let k = 0; k < 60; k++) {
      const id = ids[Math.floor(r() * ids.length)]!;
      const exists = db.prepare('SELECT 1 FROM contacts WHERE id = ?').get(id) !== undefined;
      if (k % 3 === 0) {
        if (exists) await remove(a, id);
      } else if (exists) {
        const other = people[Math.floor(r() * people.length)]!;
        await rename(a, id, { nom: other.nom, prenom: other.prenom, notes: other.notes ?? null });
      }
    }
    await expectSameResults(a, queries.slice(0, 200), pages.slice(0, 2));
  }, 600_000);

  it('past 10,000 matches: the same pages, and a total that says « more than »', async () => {
    const a = await newPair();
    const crowd: Fields[] = [];
    for (let i = 0; i < 10_030; i++) crowd.push({ nom: i % 2 ? 'Martin' : 'Marin', prenom: `Jean${i % 7 ? '' : ' Luc'}`, notes: `n${i}` });
    // Started in one SQLite transaction (the writes run synchronously there), awaited after.
    const added = await Promise.all(db.transaction(() => crowd.map((f) => services.contacts.add(a.session, f)))());
    const ids = added.map((c) => c.id);
    // Four writers side by side, as nodes would be.
    const quarter = Math.ceil(ids.length / 4);
    await Promise.all(
      [0, 1, 2, 3].map((k) =>
        withTransaction(pgdb.pool, async (c) => {
          for (const id of ids.slice(k * quarter, (k + 1) * quarter)) await mirror(c, a, id);
        }),
      ),
    );
    const compared = await expectSameResults(a, ['martin', 'mar', 'jean', 'jean luc', 'n1', 'n100', 'matrin', 'luc ma'], [
      [20, 0],
      [100, 9950],
      [3, 5013],
    ]);
    expect(compared).toBe(24);
    expect(await pgSearch(a, 'mar', 5, 0)).toMatchObject({ total: 10_000, lowerBound: true });
    expect((await pgSearch(a, 'n1', 5, 0)).total).toBe(1 + 10 + 100 + 1000 + 30); // n1, n10…, n100…, n1000…, n10000…n10029
  }, 600_000);
});
