import type Database from 'better-sqlite3';
import { deletionNeighbourhood, indexedText } from '../text/words';

/**
 * Bump when the search text derived from a contact changes (services/contact-record.ts
 * toRecord): the index is then rebuilt from the contacts at start-up.
 */
export const SEARCH_INDEX_VERSION = 1;

/**
 * Search keys. Every contact is indexed in search_fts under a key (the FTS rowid) that
 * sorts like the contact's name and carries its annuaire:
 *
 *     annuaire_id << 41 | name bucket << 16 | slot
 *
 * The name bucket encodes the first 5 characters of "nom_key \x01 prenom_key" so that
 * buckets increase with the name order; the slot tells contacts of one bucket apart.
 * So FTS5 returns matches in almost name order, restricted to one annuaire by a
 * rowid range, and can stop after a page: ranking never reads every match, and
 * counting one annuaire's matches never touches another annuaire or the contacts table.
 * Only inside a bucket is the exact order (nom, prénom, id) settled, from search_keys.
 */
const ANNUAIRE_SHIFT = 41n;
const BUCKET_SHIFT = 16n;
const SLOT_MASK = (1n << BUCKET_SHIFT) - 1n;
const BUCKET_CHARS = 5;
export const MAX_ANNUAIRE_ID = 2 ** 22 - 1;

/** 5 bits a character, non-decreasing in code-point order: end < punctuation < digits < letters < the rest. */
function charCode(c: number): number {
  if (c < 0x30) return 1; // the \x01 separator, space, hyphen, apostrophe…
  if (c <= 0x39) return 2;
  if (c < 0x61) return 3;
  if (c <= 0x7a) return 4 + (c - 0x61);
  return c < 0x80 ? 30 : 31;
}

/** The exact sort string: orders like (nom_key, prenom_key), since \x01 sorts below any character of a name. */
export function sortString(nomKey: string, prenomKey: string): string {
  return `${nomKey}\x01${prenomKey}`;
}

function bucketBase(annuaireId: number, sort: string): bigint {
  let code = 0n;
  for (let i = 0; i < BUCKET_CHARS; i++) {
    code = (code << 5n) | BigInt(i < sort.length ? charCode(sort.charCodeAt(i)) : 0);
  }
  return (BigInt(annuaireId) << ANNUAIRE_SHIFT) | (code << BUCKET_SHIFT);
}

const bucketStart = (key: bigint) => key & ~SLOT_MASK;
const bucketEnd = (key: bigint) => key | SLOT_MASK;

function annuaireRange(annuaireId: number): [bigint, bigint] {
  if (!Number.isInteger(annuaireId) || annuaireId < 0 || annuaireId > MAX_ANNUAIRE_ID) {
    throw new Error(`annuaire id ${annuaireId} is outside the search index's range`);
  }
  const lo = BigInt(annuaireId) << ANNUAIRE_SHIFT;
  return [lo, lo + (1n << ANNUAIRE_SHIFT) - 1n];
}

/** What is indexed for one contact (folded text, derived by the contact service). */
export interface SearchEntry {
  /** nom and prénom: the columns that rank first. */
  names: string;
  /** every other field, phone numbers in each of their forms. */
  other: string;
  nomKey: string;
  prenomKey: string;
  /** Words typo correction may suggest. */
  vocabulary: string[];
}

/** Match counts kept per annuaire until its next write (pagination asks the same total again). */
const COUNT_CACHE = 2000;

export class SearchIndex {
  private readonly generations = new Map<number, number>();
  private readonly counts = new Map<string, number>();
  private readonly keyOf;
  private readonly insertKey;
  private readonly updateSort;
  private readonly deleteKey;
  private readonly deleteKeys;
  private readonly maxKey;
  private readonly freeKey;
  private readonly ftsInsert;
  private readonly ftsDelete;
  private readonly ftsDeleteRange;
  private readonly ftsDeleteAll;
  private readonly vocabInsert;
  private readonly typoInsert;
  private readonly typoLookup;
  private readonly completionLookup;
  private readonly approx;
  private readonly exactPage;
  private readonly countStmt;
  private readonly stateGet;
  private readonly stateSet;

  constructor(private readonly db: Database.Database) {
    this.keyOf = db
      .prepare<[number], { skey: bigint; sort: string }>('SELECT skey, sort FROM search_keys WHERE contact_id = ?')
      .safeIntegers(true);
    this.insertKey = db.prepare('INSERT INTO search_keys (skey, contact_id, sort) VALUES (?, ?, ?)');
    this.updateSort = db.prepare('UPDATE search_keys SET sort = ? WHERE skey = ?');
    this.deleteKey = db.prepare('DELETE FROM search_keys WHERE skey = ?');
    this.deleteKeys = db.prepare('DELETE FROM search_keys WHERE skey BETWEEN ? AND ?');
    this.maxKey = db
      .prepare<[bigint, bigint], bigint | null>('SELECT max(skey) FROM search_keys WHERE skey BETWEEN ? AND ?')
      .pluck()
      .safeIntegers(true);
    this.freeKey = db
      .prepare<[{ lo: bigint; hi: bigint }], bigint>(
        `SELECT :lo WHERE NOT EXISTS (SELECT 1 FROM search_keys WHERE skey = :lo)
         UNION ALL
         SELECT k.skey + 1 FROM search_keys k WHERE k.skey BETWEEN :lo AND :hi - 1
           AND NOT EXISTS (SELECT 1 FROM search_keys n WHERE n.skey = k.skey + 1)
         LIMIT 1`,
      )
      .pluck()
      .safeIntegers(true);
    this.ftsInsert = db.prepare('INSERT INTO search_fts (rowid, words) VALUES (?, ?)');
    this.ftsDelete = db.prepare('DELETE FROM search_fts WHERE rowid = ?');
    this.ftsDeleteRange = db.prepare('DELETE FROM search_fts WHERE rowid BETWEEN ? AND ?');
    this.ftsDeleteAll = db.prepare("INSERT INTO search_fts (search_fts) VALUES ('delete-all')");
    this.vocabInsert = db.prepare('INSERT OR IGNORE INTO search_vocab (word) VALUES (?)');
    this.typoInsert = db.prepare('INSERT OR IGNORE INTO search_typo (variant, word) VALUES (?, ?)');
    this.typoLookup = db
      .prepare<[string], string>(
        'SELECT DISTINCT word FROM search_typo WHERE variant IN (SELECT value FROM json_each(?))',
      )
      .pluck();
    this.completionLookup = db
      .prepare<[string, string, number], string>('SELECT word FROM search_vocab WHERE word >= ? AND word < ? LIMIT ?')
      .pluck();
    this.approx = db
      .prepare<[string, bigint, bigint, number, number], bigint>(
        `SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ?
         ORDER BY rowid LIMIT ? OFFSET ?`,
      )
      .pluck()
      .safeIntegers(true);
    this.exactPage = db
      .prepare<[string, bigint, bigint, number, number], number>(
        `SELECT k.contact_id FROM search_fts f JOIN search_keys k ON k.skey = f.rowid
         WHERE search_fts MATCH ? AND f.rowid BETWEEN ? AND ?
         ORDER BY k.sort, k.contact_id LIMIT ? OFFSET ?`,
      )
      .pluck();
    this.countStmt = db
      .prepare<[string, bigint, bigint], number>(
        'SELECT count(*) FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ?',
      )
      .pluck();
    this.stateGet = db.prepare<[], number>('SELECT version FROM search_state WHERE id = 1').pluck();
    this.stateSet = db.prepare('UPDATE search_state SET version = ? WHERE id = 1');
  }

  /** Indexes a contact, or re-indexes it after a change. Call inside the write's transaction. */
  put(annuaireId: number, contactId: number, e: SearchEntry): void {
    this.changed(annuaireId);
    const sort = sortString(e.nomKey, e.prenomKey);
    const base = bucketBase(annuaireId, sort);
    const old = this.keyOf.get(contactId);
    let key: bigint;
    if (old && bucketStart(old.skey) === base) {
      key = old.skey;
      if (old.sort !== sort) this.updateSort.run(sort, key);
      this.ftsDelete.run(key);
    } else {
      if (old) {
        this.ftsDelete.run(old.skey);
        this.deleteKey.run(old.skey);
      }
      key = this.allocate(base);
      this.insertKey.run(key, contactId, sort);
    }
    this.ftsInsert.run(key, indexedText(e));
    this.addVocabulary(e.vocabulary);
  }

  /** Forgets a contact; call before (or in the transaction of) deleting it. */
  remove(contactId: number): void {
    const old = this.keyOf.get(contactId);
    if (!old) return;
    this.changed(Number(old.skey >> ANNUAIRE_SHIFT));
    this.ftsDelete.run(old.skey);
    this.deleteKey.run(old.skey);
  }

  /** Forgets every contact of an annuaire. */
  removeAnnuaire(annuaireId: number): void {
    const [lo, hi] = annuaireRange(annuaireId);
    this.changed(annuaireId);
    this.ftsDeleteRange.run(lo, hi);
    this.deleteKeys.run(lo, hi);
  }

  /** Vocabulary words sharing a deletion-neighbourhood entry with `word`: a superset of those one edit away. */
  similarWords(word: string): string[] {
    return this.typoLookup.all(JSON.stringify(deletionNeighbourhood(word)));
  }

  /** Up to `limit` vocabulary words that start with `prefix`. */
  wordsStartingWith(prefix: string, limit: number): string[] {
    return this.completionLookup.all(prefix, `${prefix}\u{10FFFF}`, limit);
  }

  /**
   * One page of contact ids in tier order, then (nom, prénom, id) inside a tier, and the
   * total. Each tier is read in key order from the page's position only: a page costs
   * its own rows, the name buckets it touches, and one count.
   */
  search(annuaireId: number, tiers: string[], all: string, limit: number, offset: number): { ids: number[]; total: number } {
    const [lo, hi] = annuaireRange(annuaireId);
    let from = lo;
    let to = hi;
    let known: number | undefined;
    if (offset === 0) {
      // One lazy read of the union tells whether the first page holds every match. If it
      // does, there is nothing to count, the tiers need only look between the first and
      // last match, and the walk stops once every match is placed.
      const probe = this.approx.all(all, lo, hi, limit + 1, 0);
      if (probe.length <= limit) {
        known = probe.length;
        if (known === 0) return { ids: [], total: 0 };
        from = probe[0]!;
        to = probe[probe.length - 1]!;
      }
    }
    const ids: number[] = [];
    let skip = offset;
    let need = limit;
    for (const tier of tiers) {
      if (need === 0 || ids.length === known) break;
      const keys = this.approx.all(tier, from, to, need, skip);
      if (keys.length === 0) {
        if (skip > 0) skip = Math.max(0, skip - this.count(annuaireId, tier, lo, hi));
        continue;
      }
      const first = bucketStart(keys[0]!);
      const last = keys.length < need ? to : bucketEnd(keys[keys.length - 1]!);
      // From the tier's start, nothing matches before the first key's bucket.
      const before = skip === 0 || first <= lo ? 0 : this.countStmt.get(tier, lo, first - 1n)!;
      ids.push(...this.exactPage.all(tier, first, last, need, skip - before));
      if (keys.length < need) {
        need -= keys.length;
        skip = 0;
      } else {
        need = 0;
      }
    }
    return { ids, total: known ?? this.count(annuaireId, all, lo, hi) };
  }


  /** The number of an annuaire's matches of `expr`, remembered until the annuaire's next write. */
  private count(annuaireId: number, expr: string, lo: bigint, hi: bigint): number {
    const key = `${annuaireId}:${this.generations.get(annuaireId) ?? 0}:${expr}`;
    const cached = this.counts.get(key);
    if (cached !== undefined) return cached;
    const n = this.countStmt.get(expr, lo, hi)!;
    if (this.counts.size >= COUNT_CACHE) this.counts.delete(this.counts.keys().next().value!);
    this.counts.set(key, n);
    return n;
  }

  /** Any write to an annuaire's contacts makes its remembered counts unreachable. */
  private changed(annuaireId: number): void {
    this.generations.set(annuaireId, (this.generations.get(annuaireId) ?? 0) + 1);
  }

  /** Whether the index was built by this version of the derivation rules. */
  isCurrent(): boolean {
    return this.stateGet.get() === SEARCH_INDEX_VERSION;
  }

  /** Empties the index before a rebuild; vocabulary stays (stale words cost nothing but a probe). */
  clear(): void {
    this.ftsDeleteAll.run();
    this.db.prepare('DELETE FROM search_keys').run();
  }

  markCurrent(): void {
    this.stateSet.run(SEARCH_INDEX_VERSION);
  }

  private allocate(base: bigint): bigint {
    const end = bucketEnd(base);
    const max = this.maxKey.get(base, end);
    if (max === null || max === undefined) return base;
    if (max < end) return max + 1n;
    // The bucket's slots ran out at the top: reuse a freed one, else spill into the next
    // bucket (that contact then sorts slightly out of place inside search results).
    for (let b = base; ; b += SLOT_MASK + 1n) {
      const free = this.freeKey.get({ lo: b, hi: bucketEnd(b) });
      if (free !== undefined) return free;
    }
  }

  private addVocabulary(words: string[]): void {
    // No cache in front: a rolled-back transaction would leave it claiming words the table lacks.
    for (const w of words) {
      if (this.vocabInsert.run(w).changes === 0) continue;
      for (const v of deletionNeighbourhood(w)) this.typoInsert.run(v, w);
    }
  }
}
