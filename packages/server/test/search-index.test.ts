/**
 * The search index itself (store/search-index.ts), in-process on a real SQLite file:
 * random names in random scripts, crowds of equal names far past what a key gap holds,
 * deletes and re-adds, several annuaires side by side. The invariant: a search returns
 * exactly what a plain scan of the same annuaire finds, in tier then name order, and
 * never anything of another annuaire.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config';
import { createServices, type Services } from '../src/services';
import type { AuthSession } from '../src/services/session';
import { queryWords } from '../src/services/search';
import type { SqliteBackend } from '../src/store/sqlite-backend';
import { sqliteSearch } from '../src/store/sqlite-search';
import { openDatabase } from '../src/store/db';
import type { SqliteDatabase } from '../src/store/sqlite';
import { fold } from '../src/text/fold';
import { splitWords, withInnerStarts } from '../src/text/words';

let dir: string;
let db: SqliteDatabase;
let services: Services;
let users = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-index-'));
  ({ db } = openDatabase(dir));
  services = await createServices(db, { ...defaultConfig(), onRevoke: () => {} });
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function newAnnuaire(): Promise<AuthSession> {
  const name = `index${++users}`;
  await services.accounts.createAccount(name, 'mot-de-passe-long', '127.0.0.1');
  return (await services.accounts.login(name, 'mot-de-passe-long', '127.0.0.1')).session;
}

interface Person {
  id: number;
  nom: string;
  prenom: string;
  notes: string;
}

/** A few letters per script, so that random names share prefixes and collide often. */
const SCRIPTS = [
  'aàbcçeéèlmnoœru',
  'абвгдеёжкмнс',
  'αβγάέήκλμο',
  'ابتثجحسم',
  'אבגדהכלמ',
  '王李张小明伟芳',
  'さくらアキラ佐藤',
  '김이박민준서연',
  'aăâđêôơưễặn',
];
const word = fc
  .tuple(fc.integer({ min: 0, max: SCRIPTS.length - 1 }), fc.integer({ min: 1, max: 5 }), fc.array(fc.nat(), { minLength: 5, maxLength: 5 }), fc.boolean())
  .map(([s, n, picks, upper]) => {
    const letters = [...SCRIPTS[s]!];
    const w = picks.slice(0, n).map((p) => letters[p % letters.length]).join('');
    return upper ? w.toUpperCase() : w;
  });
const name = fc.array(word, { minLength: 1, maxLength: 2 }).map((ws) => ws.join(' '));
const fields = fc.record({ nom: name, prenom: fc.oneof(fc.constant(''), name), notes: fc.oneof(fc.constant(''), name) });

/** What the index should see of a contact: the words of its names, and of everything. */
function wordsOf(p: Person) {
  const names = withInnerStarts(splitWords(fold(`${p.nom} ${p.prenom}`)));
  return { names, all: [...names, ...withInnerStarts(splitWords(fold(p.notes)))] };
}

/** The tier a plain scan gives a contact for query words too short for typos (-1: no match). */
function tierOf(p: Person, q: string[]): number {
  const { names, all } = wordsOf(p);
  const every = (ws: string[], exact: boolean) => q.every((w) => ws.some((x) => (exact ? x === w : x.startsWith(w))));
  if (every(names, true)) return 0;
  if (every(names, false)) return 1;
  if (every(all, true)) return 2;
  if (every(all, false)) return 3;
  return -1;
}

const bytes = (s: string) => Buffer.from(s, 'utf8');
/** The scan: matches in tier order, then (nom, prénom) as SQLite compares them (UTF-8 bytes), then id. */
function scan(people: Iterable<Person>, q: string[]): number[] {
  return [...people]
    .map((p) => ({ p, tier: tierOf(p, q), key: bytes(`${fold(p.nom)}\x01${fold(p.prenom)}`) }))
    .filter((x) => x.tier >= 0)
    .sort((a, b) => a.tier - b.tier || Buffer.compare(a.key, b.key) || a.p.id - b.p.id)
    .map((x) => x.p.id);
}

/** The SQLite store under the services (its index is what these tests are about). */
const store = () => (services.backend as SqliteBackend).store;

/** The index's answer, read synchronously (services.contacts.search wraps the same call). */
function search(s: AuthSession, query: string, limit = 500, offset = 0) {
  const r = sqliteSearch(store())(s.annuaireId, queryWords(query), limit, offset);
  return { ids: r.rows.map((c) => c.id), total: r.total, lowerBound: r.totalIsLowerBound };
}

/** Runs the adds `fn` starts in one SQLite transaction (fast), then waits for their contacts. */
function inTransaction<T>(fn: () => Promise<T>[]): Promise<T[]> {
  return Promise.all(db.transaction(fn)());
}

/** Every search key of an annuaire lies inside its own range (annuaire_id << 41). */
function keysOutsideRange(annuaireId: number): number {
  return db
    .prepare<[number, bigint, bigint], number>(
      'SELECT count(*) FROM search_keys WHERE annuaire_id = ? AND skey NOT BETWEEN ? AND ?',
    )
    .pluck()
    .get(annuaireId, BigInt(annuaireId) << 41n, ((BigInt(annuaireId) + 1n) << 41n) - 1n)!;
}

describe('SearchIndex against a plain scan', () => {
  it('agrees with the scan, in order, for random names in random scripts, through adds, renames, deletes and re-adds', async () => {
    const a = await newAnnuaire();
    const b = await newAnnuaire();
    const people = new Map<number, Person>();
    const others = new Set<number>();
    const add = async (s: AuthSession, f: { nom: string; prenom: string; notes: string }) => {
      const c = await services.contacts.add(s, f);
      return { id: c.id, ...f };
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fields.map((f) => ({ op: 'add' as const, f })),
            fields.map((f) => ({ op: 'other' as const, f })),
            fc.tuple(fc.nat(), fields).map(([k, f]) => ({ op: 'rename' as const, k, f })),
            fc.nat().map((k) => ({ op: 'delete' as const, k })),
          ),
          { minLength: 1, maxLength: 12 },
        ),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 4 })), { minLength: 1, maxLength: 2 }),
        async (ops, queryParts) => {
          for (const o of ops) {
            const ids = [...people.keys()];
            if (o.op === 'add') {
              const p = await add(a, o.f);
              people.set(p.id, p);
            } else if (o.op === 'other') {
              others.add((await add(b, o.f)).id);
            } else if (ids.length > 0) {
              const id = ids[o.k % ids.length]!;
              if (o.op === 'delete') {
                await services.contacts.delete(a, id);
                people.delete(id);
              } else {
                const c = await services.contacts.get(a, id);
                await services.contacts.update(a, id, c.version, o.f);
                people.set(id, { id, ...o.f });
              }
            }
          }
          // Query words: starts of words the annuaire holds (or of the other one's), under 5 letters.
          const pool = [...people.values(), ...(await Promise.all([...others].map((id) => services.contacts.get(b, id))))].flatMap((p) =>
            wordsOf({ ...p, notes: p.notes ?? '' }).all,
          );
          if (pool.length === 0) return;
          const q = queryParts.map(([w, _, n]) => [...pool[w % pool.length]!].slice(0, n).join(''));
          const query = q.join(' ');
          const words = [...new Set(splitWords(fold(query)))];
          const expected = scan(people.values(), words);
          const got = search(a, query);
          expect(got.ids, query).toEqual(expected);
          expect(got.total, query).toBe(expected.length);
          expect(got.ids.some((id) => others.has(id))).toBe(false);
          // Pages cut the same list.
          if (expected.length > 3) expect(search(a, query, 2, 2).ids, query).toEqual(expected.slice(2, 4));
        },
      ),
      { numRuns: 150, seed: 9 },
    );
    expect(keysOutsideRange(a.annuaireId)).toBe(0);
    expect(keysOutsideRange(b.annuaireId)).toBe(0);
  });
});

describe('SearchIndex crowds and ranges', () => {
  it('keeps 12,000 equal names in order inside their annuaire, however they arrive', async () => {
    // Every new « Martin Jean » sorts after the previous ones and before « Martin Paul »:
    // the same gap again and again, far more often than halving it allows (the old design's
    // bucket overflow, here with the new contact always landing in the crowd's middle).
    const a = await newAnnuaire();
    const b = await newAnnuaire();
    const bystander = (await services.contacts.add(b, { nom: 'Martin', prenom: 'Zoé' })).id;
    const first = (await services.contacts.add(a, { nom: 'Martin', prenom: 'Aline' })).id;
    const last = (await services.contacts.add(a, { nom: 'Martin', prenom: 'Paul' })).id;
    const crowd = (
      await inTransaction(() => Array.from({ length: 12_000 }, (_, i) => services.contacts.add(a, { nom: 'Martin', prenom: 'Jean', notes: `n${i}` })))
    ).map((c) => c.id);
    const everyone = [first, ...crowd, last];
    expect(keysOutsideRange(a.annuaireId)).toBe(0);
    const page = (offset: number) => search(a, 'martin', 100, offset).ids;
    expect(page(0)).toEqual(everyone.slice(0, 100));
    expect(page(9950)).toEqual(everyone.slice(9950, 10_050)); // past the counted 10,000: pages go on
    expect(search(a, 'jean n11999').ids).toEqual([crowd[11_999]]);
    expect(search(a, 'n11').total).toBe(1111);
    expect(search(a, 'martin').total).toBe(10_000); // counting stops there…
    expect(search(a, 'martin').lowerBound).toBe(true); // …and says so
    // The neighbour annuaire sees none of it, and its own Martin is still first for it.
    expect(search(b, 'martin')).toEqual({ ids: [bystander], total: 1, lowerBound: false });
    expect(search(b, 'jean')).toEqual({ ids: [], total: 0, lowerBound: false });
    // Deletes and re-adds in the crowd's middle.
    for (const id of crowd.slice(1000, 3500)) await services.contacts.delete(a, id);
    const back = (await services.contacts.add(a, { nom: 'Martin', prenom: 'Jean', notes: 'revenu' })).id;
    expect(search(a, 'revenu').ids).toEqual([back]);
    expect(search(a, 'martin', 100, 9400).ids).toEqual([...crowd.slice(0, 1000), ...crowd.slice(3500), back, last].slice(9399, 9499));
    expect(search(a, 'martin', 100, 9450).ids).toEqual([...crowd.slice(0, 1000), ...crowd.slice(3500), back, last].slice(9449));
    expect(search(a, 'martin').lowerBound).toBe(false); // 9,502 now: counted exactly
    expect(keysOutsideRange(a.annuaireId)).toBe(0);
  });

  it('spills nothing into the next annuaire: 22,000 non-Latin names at the top of the order', async () => {
    // The old keys gave every non-Latin name one bucket, the annuaire's top one, and a full
    // bucket spilled into the next annuaire: its owner's contact vanished from her search
    // while the neighbour's search counted it.
    const a = await newAnnuaire();
    const b = await newAnnuaire();
    await inTransaction(() =>
      Array.from({ length: 22_000 }, (_, i) => services.contacts.add(a, { nom: i % 2 ? 'Смирнова' : '王小明', prenom: '', notes: `motdepassebancaire${i}` })),
    );
    const smirnova = (await services.contacts.add(a, { nom: 'Смирнова', prenom: 'Анна' })).id;
    expect(search(a, 'смирнова анна').ids).toEqual([smirnova]);
    expect(search(a, 'СМИР АНН').ids).toEqual([smirnova]);
    expect(search(a, '小明').total).toBe(10_000);
    expect(search(a, '小明').lowerBound).toBe(true);
    expect(search(a, '小明', 20, 9990).ids).toHaveLength(20);
    for (const q of ['смирнова', '小明', 'motdepasse', 'motdepassebancaire1999', 'анна']) {
      expect(search(b, q), q).toEqual({ ids: [], total: 0, lowerBound: false });
    }
    expect(keysOutsideRange(a.annuaireId)).toBe(0);
  });
});

describe('names in every script', () => {
  let s: AuthSession;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    s = await newAnnuaire();
    const people: [string, string, string][] = [
      ['ru', 'Смирнова', 'Ёлка'],
      ['el', 'Παπαδόπουλος', 'Άννα'],
      ['ar', 'مُحَمَّد', 'عَلِي'],
      ['he', 'כֹּהֵן', 'שָׂרָה'],
      ['zh', '王小明', ''],
      ['ja', '佐藤', 'さくら'],
      ['ko', '김민준', ''],
      ['vi', 'Đặng', 'Nguyễn Thị Hương'],
    ];
    for (const [k, nom, prenom] of people) ids[k] = (await services.contacts.add(s, { nom, prenom })).id;
  });
  const found = (q: string) => search(s, q).ids;

  it('finds each by the start of each word, case- and accent-folded', () => {
    expect(found('смир')).toEqual([ids.ru]);
    expect(found('СМИРНОВА')).toEqual([ids.ru]);
    expect(found('елка')).toEqual([ids.ru]); // ё folds to е
    expect(found('παπαδο')).toEqual([ids.el]);
    expect(found('ΑΝΝΑ')).toEqual([ids.el]);
    expect(found('αννα')).toEqual([ids.el]);
    expect(found('محمد')).toEqual([ids.ar]); // without its vowel marks
    expect(found('عل')).toEqual([ids.ar]);
    expect(found('כהן')).toEqual([ids.he]); // without niqqud
    expect(found('שר')).toEqual([ids.he]);
    expect(found('佐藤')).toEqual([ids.ja]);
    expect(found('さく')).toEqual([ids.ja]);
    expect(found('dang')).toEqual([ids.vi]); // đ typed as d
    expect(found('nguyen huong')).toEqual([ids.vi]);
    expect(found('HƯƠNG')).toEqual([ids.vi]);
  });

  it('finds CJK names, written without spaces, by any part', () => {
    expect(found('王')).toEqual([ids.zh]);
    expect(found('小明')).toEqual([ids.zh]);
    expect(found('明')).toEqual([ids.zh]);
    expect(found('민준')).toEqual([ids.ko]);
    expect(found('준')).toEqual([ids.ko]);
    expect(found('김민')).toEqual([ids.ko]);
    expect(found('藤')).toEqual([ids.ja]);
  });
});

describe('accounts isolated inside the index', () => {
  it('keeps typo vocabulary per annuaire, and forgets it with the account', async () => {
    const victim = await newAnnuaire();
    const attacker = await newAnnuaire();
    const martin = (await services.contacts.add(victim, { nom: 'Martin', prenom: 'Luc' })).id;
    // Words one edit away from « martin », in the attacker's annuaire only.
    const near = [...'abcdefghijklmnopqrstuvwxyz'].flatMap((l) => [`mar${l}in`, `martin${l}`, `ma${l}tin`]);
    await inTransaction(() =>
      Array.from({ length: Math.ceil(near.length / 10) }, (_, k) => services.contacts.add(attacker, { nom: 'X', prenom: '', notes: near.slice(k * 10, k * 10 + 10).join(' ') })),
    );
    const index = store().searchIndex;
    expect(index.similarWords(victim.annuaireId, 'matrin')).toEqual(['martin']);
    expect(index.similarWords(attacker.annuaireId, 'martin').length).toBeGreaterThan(50);
    expect(search(victim, 'matrin').ids).toEqual([martin]);
    expect(index.wordsStartingWith(victim.annuaireId, 'marti', 100)).toEqual(['martin']);
    const vocab = (id: number) =>
      db.prepare<[number, number], number>('SELECT (SELECT count(*) FROM search_vocab WHERE annuaire_id = ?) + (SELECT count(*) FROM search_typo WHERE annuaire_id = ?)').pluck().get(id, id)!;
    expect(vocab(attacker.annuaireId)).toBeGreaterThan(0);
    await services.accounts.deleteAccount(attacker, 'mot-de-passe-long', '127.0.0.1');
    expect(vocab(attacker.annuaireId)).toBe(0);
    expect(vocab(victim.annuaireId)).toBeGreaterThan(0);
  });
});

describe('a page of results, on a database without planner statistics (as a live server has)', () => {
  it('reads the page’s rows by id, not the whole annuaire', async () => {
    const s = await newAnnuaire();
    for (let i = 0; i < 50; i++) await services.contacts.add(s, { nom: `Plan${i}`, prenom: '' });
    db.exec('DROP TABLE IF EXISTS sqlite_stat1');
    // The statement search uses for the page's contacts (store/contacts.ts getMany): with a plain
    // JOIN and no statistics, SQLite walked the annuaire by an index and probed the ids, ≈ 3 µs a
    // contact of the annuaire for every page.
    const many = store()['manyStmt'] as { source: string };
    const plan = db
      .prepare<[string, number], { detail: string }>(`EXPLAIN QUERY PLAN ${many.source}`)
      .all('[1,2,3]', s.annuaireId)
      .map((r) => r.detail);
    expect(plan[0]).toMatch(/^SCAN j VIRTUAL TABLE/);
    expect(plan[1]).toMatch(/^SEARCH c USING INTEGER PRIMARY KEY/);
    expect(search(s, 'plan4').ids).toHaveLength(11);
  });
});
