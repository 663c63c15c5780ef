/**
 * The statements of a PostgreSQL search (store/postgres/search.ts). The ranking is
 * services/search.ts planSearch's: a contact's tier is the first of these that holds for
 * every query word — 0 a whole word of the names, 1 the start of one, 2 a whole word of any
 * field, 3 the start of one, 4 as 1 or a typo fix in the names, 5 as 3 or a fix anywhere.
 *
 * One query word drives (the longest): its contacts are read in name order (nom_key,
 * prenom_key, id) from search_terms' primary key, with what each term is to the contact (en,
 * ea, pn), and the other words' flags are looked up in each candidate's own terms (index
 * search_terms_by_contact), so the plan never depends on the planner's statistics (a fresh
 * table without them once made a join of two words take seconds). A tier reads only the kind
 * of rows it may match (KIND), and a driver of one term stops after the page, or after
 * EXACT_TOTAL_UP_TO + 1 matches for the total. A driver that needs several terms (completions,
 * typo fixes) is read whole and sorted: PostgreSQL 15 does not merge the ordered scans of a
 * UNION ALL (no Merge Append there), so it costs its rows.
 */

export type Level = 0 | 1 | 2 | 3 | 4 | 5;

export interface WordSpec {
  /** The word as the index stores it. */
  exact: string;
  /**
   * What "starts with the word" means: some of these whole words (SQLite's completions from
   * the vocabulary), or any term in [lo, hi); `stream` is the stored prefix term whose contacts
   * include every such contact (the word itself when it is short enough to be stored as one).
   */
  prefix: { words: string[] } | { lo: string; hi: string; stream: string };
  /** Whole words one typo away. */
  fixes: string[];
}

interface Statement {
  text: string;
  values: unknown[];
}

class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** search_terms.kind: every term is stored under 'any', and again under each of the others it is. */
const KIND = { any: 0, pn: 1, ea: 2, en: 3 } as const;

/** Rows of one kind for a term condition. */
interface Part {
  kind: 'en' | 'ea' | 'pn' | 'any';
  /** SQL condition on `term`. */
  term: string;
  /** A range of terms: several rows of one contact. */
  range?: boolean;
  /** The row says whether a word starts with the query word (pn, pa)… */
  prefix: boolean;
  /** …or whether it is a typo fix (xn, xa). */
  fix: boolean;
}

/** Completions that are just the word itself: its prefix is its own whole-word rows. */
const onlyItself = (s: WordSpec) => 'words' in s.prefix && s.prefix.words.length === 1 && s.prefix.words[0] === s.exact;

/** The rows of word `s` (`e`: its exact term's parameter) that tier `level` (null: every match, for the total) needs, with their flags complete for it. */
function partsOf(p: Params, s: WordSpec, level: Level | null, e: string): Part[] {
  // The exact word's row is also a row of its prefix: the same term, inside the range, or the
  // only completion (the common case for a long word: no read of several terms to merge).
  const prefixIsExact = !('words' in s.prefix) || onlyItself(s);
  const exact = (kind: 'en' | 'ea'): Part => ({ kind, term: `term = ${e}`, prefix: prefixIsExact, fix: false });
  const prefix = (names: boolean): Part[] => {
    if (onlyItself(s)) return [exact(names ? 'en' : 'ea')];
    if ('words' in s.prefix) return s.prefix.words.map((w) => ({ kind: names ? 'en' : 'ea', term: `term = ${p.add(w)}`, prefix: true, fix: false }));
    if (s.prefix.stream === s.prefix.lo) return [{ kind: names ? 'pn' : 'any', term: `term = ${e}`, prefix: true, fix: false }];
    // Longer than the stored prefixes: the whole words in the range (read, then sorted by name).
    return [{ kind: names ? 'pn' : 'any', term: `term >= ${p.add(s.prefix.lo)} AND term < ${p.add(s.prefix.hi)}`, range: true, prefix: true, fix: false }];
  };
  const fixes = (kind: 'en' | 'ea') => s.fixes.map((f): Part => ({ kind, term: `term = ${p.add(f)}`, prefix: false, fix: true }));
  switch (level) {
    case 0:
      return [exact('en')];
    case 1:
      return prefix(true);
    case 2:
      // The exact word's row says whether a name starts with it, unless only completions say so.
      return prefixIsExact ? [exact('ea')] : [exact('ea'), ...prefix(true)];
    case 3:
      return prefix(false);
    case 4:
      return [...prefix(false), ...fixes('en')];
    default:
      return [...prefix(false), ...fixes('ea')];
  }
}

/** A part's row's flags for the word (`e`: its exact term's parameter; `words`: prefixes are completions). */
function flagsOf(part: Part, e: string, words: boolean): string {
  return [
    `term = ${e} AND en AS en`,
    `term = ${e} AND ea AS ea`,
    `${part.prefix ? (words ? 'en' : 'pn') : 'false'} AS pn`,
    `${part.prefix ? (words ? 'ea' : 'true') : 'false'} AS pa`,
    `${part.fix ? 'en' : 'false'} AS xn`,
    `${part.fix ? 'ea' : 'false'} AS xa`,
  ].join(', ');
}

/** One row per contact of the word's parts, in name order, with the word's flags. */
function wordStream(p: Params, annuaire: string, s: WordSpec, level: Level | null): string {
  const words = 'words' in s.prefix;
  const e = p.add(s.exact);
  const select = (part: Part) =>
    `SELECT nom_key, prenom_key, contact_id, ${flagsOf(part, e, words)} FROM search_terms
     WHERE annuaire_id = ${annuaire} AND kind = ${KIND[part.kind]} AND ${part.term}`;
  const parts = partsOf(p, s, level, e);
  if (parts.length === 1 && !parts[0]!.range) return `(${select(parts[0]!)})`;
  return `(SELECT nom_key, prenom_key, contact_id, bool_or(en) AS en, bool_or(ea) AS ea, bool_or(pn) AS pn,
             bool_or(pa) AS pa, bool_or(xn) AS xn, bool_or(xa) AS xa
           FROM (${parts.map(select).join(' UNION ALL ')}) u GROUP BY nom_key, prenom_key, contact_id)`;
}

/** The tier of a candidate (NULL: no match), from every word's flags. */
function rankOf(n: number): string {
  const all = (f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' AND ');
  return `CASE WHEN ${all((i) => `w${i}.en`)} THEN 0 WHEN ${all((i) => `w${i}.pn`)} THEN 1
    WHEN ${all((i) => `w${i}.ea`)} THEN 2 WHEN ${all((i) => `w${i}.pa`)} THEN 3
    WHEN ${all((i) => `(w${i}.pn OR w${i}.xn)`)} THEN 4 WHEN ${all((i) => `(w${i}.pa OR w${i}.xa)`)} THEN 5 END`;
}

/** The other words' flags for a candidate of the driver (w0): look-ups of its own terms, whatever the planner's statistics. */
function lookup(p: Params, s: WordSpec, i: number): string {
  const e = p.add(s.exact);
  const words = 'words' in s.prefix;
  const arms = partsOf(p, s, null, e).map(
    (part) => `SELECT ${flagsOf(part, e, words)} FROM search_terms
               WHERE contact_id = w0.contact_id AND kind = ${KIND[part.kind]} AND ${part.term}`,
  );
  return `CROSS JOIN LATERAL (SELECT bool_or(en) AS en, bool_or(ea) AS ea, bool_or(pn) AS pn, bool_or(pa) AS pa,
            bool_or(xn) AS xn, bool_or(xa) AS xa FROM (${arms.join(' UNION ALL ')}) u) w${i}`;
}

/** The driver: the word whose contacts are likely the fewest (the longest; a phone number, a whole word). */
function driverOf(specs: WordSpec[]): number {
  let best = 0;
  for (let i = 1; i < specs.length; i++) if ([...specs[i]!.exact].length > [...specs[best]!.exact].length) best = i;
  return best;
}

export function planQuery(annuaireId: number, words: WordSpec[]) {
  const anyFixes = words.some((s) => s.fixes.length > 0);
  // The driver first (w0): its contacts are read in name order, the others' looked up for each.
  const d = driverOf(words);
  const specs = [words[d]!, ...words.filter((_, i) => i !== d)];
  /** FROM … WHERE text: the contacts of tier `level`, or (null) every match, as w0.contact_id. */
  const matches = (p: Params, level: Level | null) => {
    const a = p.add(annuaireId);
    const from = [`${wordStream(p, a, specs[0]!, level)} w0`, ...specs.slice(1).map((s, i) => lookup(p, s, i + 1))];
    const rank = rankOf(specs.length);
    return `${from.join('\n')}\nWHERE ${level === null ? `${rank} IS NOT NULL` : `${rank} = ${level}`}`;
  };
  const upTo = (p: Params, from: string, cap: number): Statement => ({
    text: `SELECT count(*) AS n FROM (SELECT 1 FROM ${from} LIMIT ${p.add(cap)}) x`,
    values: p.values,
  });
  return {
    /** The tiers that may hold matches, best first. */
    levels: (anyFixes ? [0, 1, 2, 3, 4, 5] : [0, 1, 2, 3]) as Level[],
    /** How many contacts match (up to `cap`). */
    count(cap: number): Statement {
      const p = new Params();
      return upTo(p, matches(p, null), cap);
    },
    /** A page of the tier's contact ids, in name order. */
    tier(level: Level, limit: number, offset: number): Statement {
      const p = new Params();
      const from = matches(p, level);
      return {
        text: `SELECT w0.contact_id FROM ${from}
               ORDER BY w0.nom_key, w0.prenom_key, w0.contact_id LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
        values: p.values,
      };
    },
    /** How many contacts the tier holds (up to `cap`). */
    tierCount(level: Level, cap: number): Statement {
      const p = new Params();
      return upTo(p, matches(p, level), cap);
    },
  };
}
