import type Database from 'better-sqlite3';
import { deletionNeighbourhood, indexedText } from '../text/words';

/**
 * Bump when the search text derived from a contact changes (services/contact-record.ts
 * toRecord, text/words.ts indexedText): the index is then rebuilt from the contacts at start-up.
 */
export const SEARCH_INDEX_VERSION = 2;

/**
 * Search keys. Every contact is indexed in search_fts under a key (the FTS rowid) made of
 * its annuaire and its position in the annuaire's name order:
 *
 *     annuaire_id << 41 | position
 *
 * Positions are an order-maintenance labelling: strictly increasing with (nom_key,
 * prenom_key, contact id), so FTS5 returns an annuaire's matches in exact name order,
 * restricted to that annuaire by a rowid range it seeks to, and stops after a page. A
 * new contact takes the middle of the gap between its neighbours; when there is none,
 * a small window around it is spread out again (amortised O(log² n) rows), so no
 * write ever scans a crowd of equal names, and no position ever leaves its annuaire.
 */
const ANNUAIRE_SHIFT = 41n;
const SPAN = 1n << ANNUAIRE_SHIFT;
/** Positions 1 … SPAN - 1 (0 stays free, as a bound below the first). */
const FIRST = 0n;
const LAST = SPAN;
/** Gap left after the last contact (and before the first): room for a million in-order appends. */
const APPEND_STEP = 1n << 20n;
export const MAX_ANNUAIRE_ID = 2 ** 22 - 1;

/** The exact sort string: orders like (nom_key, prenom_key), since \x01 sorts below any character of a name. */
export function sortString(nomKey: string, prenomKey: string): string {
  return `${nomKey}\x01${prenomKey}`;
}

function annuaireBase(annuaireId: number): bigint {
  if (!Number.isInteger(annuaireId) || annuaireId < 0 || annuaireId > MAX_ANNUAIRE_ID) {
    throw new Error(`annuaire id ${annuaireId} is outside the search index's range`);
  }
  return BigInt(annuaireId) << ANNUAIRE_SHIFT;
}

/** What is indexed for one contact (folded text, derived by the contact service). */
export interface SearchEntry {
  /** nom and prénom: the words that rank first. */
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
/**
 * Totals are exact up to this many matches, then a lower bound (« plus de 10 000 »): an
 * exact count costs every match (≈ 36 ns each, profiled), a search must not. Pages end there
 * too (the protocol's offset cap): past it, a query is refined, not scrolled.
 */
export const EXACT_TOTAL_UP_TO = 10_000;
/** Typo candidates read per query word: one annuaire's words cannot make another query slow. */
const MAX_TYPO_CANDIDATES = 200;

interface KeyRow {
  skey: bigint;
  contact_id: number;
}

export interface SearchPage {
  ids: number[];
  total: number;
  /** True when there are more than `total` matches (counting stopped past EXACT_TOTAL_UP_TO). */
  totalIsLowerBound: boolean;
}

export class SearchIndex {
  private readonly generations = new Map<number, number>();
  private readonly counts = new Map<string, number>();
  private readonly keyOf;
  private readonly insertKey;
  private readonly deleteKey;
  private readonly deleteKeys;
  private readonly before;
  private readonly after;
  private readonly ftsInsert;
  private readonly ftsDelete;
  private readonly ftsDeleteRange;
  private readonly ftsDeleteAll;
  private readonly vocabInsert;
  private readonly typoInsert;
  private readonly typoLookup;
  private readonly completionLookup;
  private readonly page;
  private readonly countUpTo;
  private readonly stateGet;
  private readonly stateSet;

  /**
   * @param entryOf the current entry of an indexed contact, to re-index it under a new key
   *   when its neighbourhood is spread out (the index is contentless: it cannot give text back).
   */
  constructor(
    private readonly db: Database.Database,
    private readonly entryOf: (contactId: number) => SearchEntry,
  ) {
    this.keyOf = db
      .prepare<[number], { skey: bigint; annuaire_id: number; sort: string }>(
        'SELECT skey, annuaire_id, sort FROM search_keys WHERE contact_id = ?',
      )
      .safeIntegers(true);
    this.insertKey = db.prepare('INSERT INTO search_keys (skey, contact_id, annuaire_id, sort) VALUES (?, ?, ?, ?)');
    this.deleteKey = db.prepare('DELETE FROM search_keys WHERE skey = ?');
    this.deleteKeys = db.prepare('DELETE FROM search_keys WHERE annuaire_id = ?');
    // Neighbours in name order (search_keys_by_sort), nearest first.
    this.before = db
      .prepare<[number, string, number, number], KeyRow>(
        `SELECT skey, contact_id FROM search_keys WHERE annuaire_id = ? AND (sort, contact_id) < (?, ?)
         ORDER BY sort DESC, contact_id DESC LIMIT ?`,
      )
      .safeIntegers(true);
    this.after = db
      .prepare<[number, string, number, number], KeyRow>(
        `SELECT skey, contact_id FROM search_keys WHERE annuaire_id = ? AND (sort, contact_id) > (?, ?)
         ORDER BY sort, contact_id LIMIT ?`,
      )
      .safeIntegers(true);
    this.ftsInsert = db.prepare('INSERT INTO search_fts (rowid, words) VALUES (?, ?)');
    this.ftsDelete = db.prepare('DELETE FROM search_fts WHERE rowid = ?');
    this.ftsDeleteRange = db.prepare('DELETE FROM search_fts WHERE rowid BETWEEN ? AND ?');
    this.ftsDeleteAll = db.prepare("INSERT INTO search_fts (search_fts) VALUES ('delete-all')");
    this.vocabInsert = db.prepare('INSERT OR IGNORE INTO search_vocab (annuaire_id, word) VALUES (?, ?)');
    this.typoInsert = db.prepare('INSERT OR IGNORE INTO search_typo (annuaire_id, variant, word) VALUES (?, ?, ?)');
    this.typoLookup = db
      .prepare<[number, string, number], string>(
        `SELECT DISTINCT word FROM search_typo
         WHERE annuaire_id = ? AND variant IN (SELECT value FROM json_each(?)) LIMIT ?`,
      )
      .pluck();
    this.completionLookup = db
      .prepare<[number, string, string, number], string>(
        'SELECT word FROM search_vocab WHERE annuaire_id = ? AND word >= ? AND word < ? LIMIT ?',
      )
      .pluck();
    this.page = db
      .prepare<[string, bigint, bigint, number, number], number>(
        `SELECT k.contact_id FROM search_fts f JOIN search_keys k ON k.skey = f.rowid
         WHERE search_fts MATCH ? AND f.rowid BETWEEN ? AND ?
         ORDER BY f.rowid LIMIT ? OFFSET ?`,
      )
      .pluck();
    this.countUpTo = db
      .prepare<[string, bigint, bigint, number], number>(
        'SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ? LIMIT ?)',
      )
      .pluck();
    this.stateGet = db.prepare<[], number>('SELECT version FROM search_state WHERE id = 1').pluck();
    this.stateSet = db.prepare('UPDATE search_state SET version = ? WHERE id = 1');
  }

  /** Indexes a contact, or re-indexes it after a change. Call inside the write's transaction. */
  put(annuaireId: number, contactId: number, e: SearchEntry): void {
    const base = annuaireBase(annuaireId);
    this.changed(annuaireId);
    const sort = sortString(e.nomKey, e.prenomKey);
    const old = this.keyOf.get(contactId);
    if (old && old.sort === sort) {
      // Same place in the name order: same key, new words.
      this.ftsDelete.run(old.skey);
      this.ftsInsert.run(old.skey, indexedText(e));
      this.addVocabulary(annuaireId, e.vocabulary);
      return;
    }
    if (old) {
      this.ftsDelete.run(old.skey);
      this.deleteKey.run(old.skey);
    }
    const key = base + this.position(annuaireId, base, sort, contactId);
    this.insertKey.run(key, contactId, annuaireId, sort);
    this.ftsInsert.run(key, indexedText(e));
    this.addVocabulary(annuaireId, e.vocabulary);
  }

  /** Forgets a contact; call before (or in the transaction of) deleting it. */
  remove(contactId: number): void {
    const old = this.keyOf.get(contactId);
    if (!old) return;
    this.changed(Number(old.annuaire_id));
    this.ftsDelete.run(old.skey);
    this.deleteKey.run(old.skey);
  }

  /** Forgets every contact of an annuaire, and its vocabulary. */
  removeAnnuaire(annuaireId: number): void {
    const base = annuaireBase(annuaireId);
    this.changed(annuaireId);
    this.ftsDeleteRange.run(base, base + SPAN - 1n);
    this.deleteKeys.run(annuaireId);
    this.db.prepare('DELETE FROM search_vocab WHERE annuaire_id = ?').run(annuaireId);
    this.db.prepare('DELETE FROM search_typo WHERE annuaire_id = ?').run(annuaireId);
  }

  /** The annuaire's vocabulary words sharing a deletion-neighbourhood entry with `word` (a bounded superset of those one edit away). */
  similarWords(annuaireId: number, word: string): string[] {
    return this.typoLookup.all(annuaireId, JSON.stringify(deletionNeighbourhood(word)), MAX_TYPO_CANDIDATES);
  }

  /** Up to `limit` of the annuaire's vocabulary words that start with `prefix`. */
  wordsStartingWith(annuaireId: number, prefix: string, limit: number): string[] {
    return this.completionLookup.all(annuaireId, prefix, `${prefix}\u{10FFFF}`, limit);
  }

  /**
   * One page of contact ids in tier order, then (nom, prénom, id) inside a tier, and the
   * total. Keys follow the name order exactly, so each tier is read in key order from
   * the page's position and stops after the page: a page costs its own rows and the rows
   * it skips, and the total costs at most EXACT_TOTAL_UP_TO matches.
   */
  search(annuaireId: number, tiers: string[], all: string, limit: number, offset: number): SearchPage {
    const lo = annuaireBase(annuaireId);
    const hi = lo + SPAN - 1n;
    const counted = this.count(annuaireId, all, lo, hi);
    const total = Math.min(counted, EXACT_TOTAL_UP_TO);
    const totalIsLowerBound = counted > EXACT_TOTAL_UP_TO;
    const ids: number[] = [];
    if (!totalIsLowerBound && offset >= total) return { ids, total, totalIsLowerBound };
    let skip = offset;
    for (const tier of tiers) {
      if (ids.length === limit) break;
      const rows = this.page.all(tier, lo, hi, limit - ids.length, skip);
      // An empty read from `skip` on means the whole tier lies before the page: skip past it.
      if (rows.length === 0 && skip > 0) skip -= this.countUpTo.get(tier, lo, hi, skip)!;
      else skip = 0;
      ids.push(...rows);
    }
    return { ids, total, totalIsLowerBound };
  }

  /** The number of an annuaire's matches of `expr`, up to EXACT_TOTAL_UP_TO + 1, remembered until its next write. */
  private count(annuaireId: number, expr: string, lo: bigint, hi: bigint): number {
    const key = `${annuaireId}:${this.generations.get(annuaireId) ?? 0}:${expr}`;
    const cached = this.counts.get(key);
    if (cached !== undefined) return cached;
    const n = this.countUpTo.get(expr, lo, hi, EXACT_TOTAL_UP_TO + 1)!;
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

  /** Empties the index (keys, words and vocabulary) before a rebuild. */
  clear(): void {
    this.ftsDeleteAll.run();
    this.db.exec('DELETE FROM search_keys; DELETE FROM search_vocab; DELETE FROM search_typo;');
  }

  markCurrent(): void {
    this.stateSet.run(SEARCH_INDEX_VERSION);
  }

  /**
   * A free position (relative to the annuaire) between the contact's neighbours in name
   * order; spreads a window of neighbours out when they leave no gap.
   */
  private position(annuaireId: number, base: bigint, sort: string, contactId: number): bigint {
    const prev = this.before.get(annuaireId, sort, contactId, 1);
    const next = this.after.get(annuaireId, sort, contactId, 1);
    const low = prev ? prev.skey - base : FIRST;
    const high = next ? next.skey - base : LAST;
    // The first contact goes in the middle: as much room to prepend as to append.
    if (!prev && !next) return SPAN / 2n;
    if (!next && high - low > APPEND_STEP) return low + APPEND_STEP;
    if (!prev && high - low > APPEND_STEP) return high - APPEND_STEP;
    if (high - low >= 2n) return low + (high - low) / 2n;
    return this.spread(annuaireId, base, sort, contactId);
  }

  /**
   * Re-labels the smallest window of neighbours around the new contact whose span leaves
   * every member (the new one included) a gap at least as large as the window's count,
   * evenly; returns the new contact's position. Windows double, so a crowd of equal names
   * costs a relabel of O(its size) only once per doubling.
   */
  private spread(annuaireId: number, base: bigint, sort: string, contactId: number): bigint {
    for (let w = 2; ; w *= 2) {
      const below = this.before.all(annuaireId, sort, contactId, w + 1);
      const above = this.after.all(annuaireId, sort, contactId, w + 1);
      const whole = below.length <= w && above.length <= w;
      const inBelow = below.slice(0, w).reverse();
      const inAbove = above.slice(0, w);
      const low = below.length > w ? below[w]!.skey - base : FIRST;
      const high = above.length > w ? above[w]!.skey - base : LAST;
      const count = BigInt(inBelow.length + inAbove.length + 1);
      let gap = (high - low) / (count + 1n);
      // Too narrow: a wider window (unless this one is already every contact of the annuaire).
      if (gap < count && !whole) continue;
      if (gap < 1n) throw new Error(`annuaire ${annuaireId} has more contacts than the search index can order`);
      // Take the window out, then put it back spaced by `gap` (keys are unique: no overlap).
      const moved = [...inBelow, ...inAbove];
      for (const r of moved) {
        this.ftsDelete.run(r.skey);
        this.deleteKey.run(r.skey);
      }
      let at = low;
      // A window at either end of the annuaire keeps the rest of the space for appends (or prepends).
      const openAbove = above.length <= w;
      const openBelow = below.length <= w;
      if (gap > APPEND_STEP && (openAbove || openBelow)) {
        gap = APPEND_STEP;
        if (!openAbove) at = high - (count + 1n) * gap;
        else if (openBelow) at = SPAN / 2n - ((count + 1n) / 2n) * gap;
      }
      let mine = 0n;
      const place = (r: KeyRow | undefined) => {
        at += gap;
        if (!r) {
          mine = at;
          return;
        }
        const e = this.entryOf(r.contact_id);
        this.insertKey.run(base + at, r.contact_id, annuaireId, sortString(e.nomKey, e.prenomKey));
        this.ftsInsert.run(base + at, indexedText(e));
      };
      inBelow.forEach(place);
      place(undefined);
      inAbove.forEach(place);
      return mine;
    }
  }

  private addVocabulary(annuaireId: number, words: string[]): void {
    // No cache in front: a rolled-back transaction would leave it claiming words the table lacks.
    for (const w of words) {
      if (this.vocabInsert.run(annuaireId, w).changes === 0) continue;
      for (const v of deletionNeighbourhood(w)) this.typoInsert.run(annuaireId, v, w);
    }
  }
}
