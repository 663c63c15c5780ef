/**
 * The statements of a PostgreSQL search (store/postgres/search.ts). The ranking is
 * services/search.ts planSearch's: a contact's tier is the first of these that holds for
 * every query word — 0 a whole word of the names, 1 the start of one, 2 a whole word of any
 * field, 3 the start of one, 4 as 1 or a typo fix in the names, 5 as 3 or a fix anywhere.
 *
 * A tier is read from one query word's contacts (the driver), in name order straight from
 * a btree (several terms: merged by PostgreSQL's Merge Append, equal contacts dropped), each
 * candidate's tier worked out from its own terms, so the read stops after the page.
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

/** Which rows of a term a stream reads (search_terms' partial indexes). */
type Kind = 'en' | 'ea' | 'pn' | 'any';

class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** The driver's terms for a tier: contacts with one of them include every contact of the tier. */
function driverTerms(s: WordSpec, level: Level): [Kind, string][] {
  const prefix = (name: Kind, word: Kind): [Kind, string][] =>
    'words' in s.prefix ? s.prefix.words.map((w) => [word, w]) : [[name, s.prefix.stream]];
  switch (level) {
    case 0:
      return [['en', s.exact]];
    case 1:
      return prefix('pn', 'en');
    case 2:
      return [['ea', s.exact]];
    case 3:
      return prefix('any', 'ea');
    case 4:
      return [...prefix('pn', 'en'), ...s.fixes.map((f): [Kind, string] => ['en', f])];
    case 5:
      return [...prefix('any', 'ea'), ...s.fixes.map((f): [Kind, string] => ['ea', f])];
  }
}

/** Rows of each contact read once, in name order. */
function stream(p: Params, annuaire: string, terms: [Kind, string][]): string {
  const unique = [...new Map(terms.map((t) => [t.join('\0'), t])).values()];
  const part = ([kind, term]: [Kind, string]) =>
    `SELECT contact_id, nom_key, prenom_key FROM search_terms
     WHERE annuaire_id = ${annuaire} AND term = ${p.add(term)}${kind === 'any' ? '' : ` AND ${kind}`}`;
  if (unique.length === 1) return `(${part(unique[0]!)}) d`;
  return `(SELECT DISTINCT ON (nom_key, prenom_key, contact_id) contact_id, nom_key, prenom_key
           FROM (${unique.map(part).join(' UNION ALL ')}) u ORDER BY nom_key, prenom_key, contact_id) d`;
}

/** One candidate's flags for query word `i`, from its own terms (the primary key (contact_id, term)). */
function flags(p: Params, s: WordSpec, i: number): string {
  const e = p.add(s.exact);
  let pn: string;
  let pa: string;
  let near: string;
  if ('words' in s.prefix) {
    const ws = p.add(s.prefix.words);
    pn = `t.term = ANY(${ws}::text[]) AND t.en`;
    pa = `t.term = ANY(${ws}::text[]) AND t.ea`;
    near = `t.term = ANY(${ws}::text[])`;
  } else {
    near = `(t.term >= ${p.add(s.prefix.lo)} AND t.term < ${p.add(s.prefix.hi)})`;
    pn = `${near} AND t.pn`;
    pa = near;
  }
  let fixes = 'false AS xn, false AS xa';
  if (s.fixes.length > 0) {
    const fx = p.add(s.fixes);
    fixes = `coalesce(bool_or(t.term = ANY(${fx}::text[]) AND t.en), false) AS xn,
             coalesce(bool_or(t.term = ANY(${fx}::text[]) AND t.ea), false) AS xa`;
    near += ` OR t.term = ANY(${fx}::text[])`;
  }
  return `CROSS JOIN LATERAL (
    SELECT coalesce(bool_or(t.term = ${e} AND t.en), false) AS en,
           coalesce(bool_or(t.term = ${e} AND t.ea), false) AS ea,
           coalesce(bool_or(${pn}), false) AS pn,
           coalesce(bool_or(${pa}), false) AS pa,
           ${fixes}
    FROM search_terms t WHERE t.contact_id = d.contact_id AND (t.term = ${e} OR ${near})) f${i}`;
}

/** The tier of a candidate (NULL: no match), from every word's flags. */
function rankOf(n: number): string {
  const all = (f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' AND ');
  return `CASE WHEN ${all((i) => `f${i}.en`)} THEN 0 WHEN ${all((i) => `f${i}.pn`)} THEN 1
    WHEN ${all((i) => `f${i}.ea`)} THEN 2 WHEN ${all((i) => `f${i}.pa`)} THEN 3
    WHEN ${all((i) => `(f${i}.pn OR f${i}.xn)`)} THEN 4 WHEN ${all((i) => `(f${i}.pa OR f${i}.xa)`)} THEN 5 END`;
}

/** Shorter lists first: the longest word drives (its contacts are usually the fewest). */
function driverOf(specs: WordSpec[]): number {
  let best = 0;
  for (let i = 1; i < specs.length; i++) if ([...specs[i]!.exact].length > [...specs[best]!.exact].length) best = i;
  return best;
}

/**
 * A single word stored as a prefix term of its own, without typo fixes: its row for each
 * contact already says the tier (en → 0, pn → 1, ea → 2, else 3), no per-contact look-up.
 */
function rowTier(specs: WordSpec[]): string | null {
  const [s] = specs;
  if (specs.length !== 1 || !s || s.fixes.length > 0 || 'words' in s.prefix || s.prefix.stream !== s.prefix.lo) return null;
  return s.exact;
}
const ROW_TIERS: Record<number, [Kind, string]> = {
  0: ['en', 'true'],
  1: ['pn', 'NOT en'],
  2: ['ea', 'NOT pn'],
  3: ['any', 'NOT pn AND NOT ea'],
};

export function planQuery(annuaireId: number, specs: WordSpec[]) {
  const single = rowTier(specs);
  const anyFixes = specs.some((s) => s.fixes.length > 0);
  /** FROM … WHERE text: the contacts of tier `level`, or (null) every match. */
  const candidates = (p: Params, level: Level | null) => {
    const a = p.add(annuaireId);
    if (single !== null) {
      const [kind, cond] = level === null ? ROW_TIERS[3]! : ROW_TIERS[level]!;
      return `search_terms d WHERE d.annuaire_id = ${a} AND d.term = ${p.add(single)}${kind === 'any' ? '' : ` AND d.${kind}`}${level === null ? '' : ` AND ${cond}`}`;
    }
    const [only] = specs;
    const driver = specs[driverOf(specs)]!;
    const terms = driverTerms(driver, level ?? (anyFixes ? 5 : 3));
    // One word whose terms are exactly its matches: nothing to check per contact for the count.
    if (level === null && specs.length === 1 && ('words' in only!.prefix || only!.prefix.stream === only!.prefix.lo)) {
      return stream(p, a, terms);
    }
    const laterals = specs.map((s, i) => flags(p, s, i)).join('\n');
    const rank = rankOf(specs.length);
    return `${stream(p, a, terms)}\n${laterals}\nWHERE ${level === null ? `${rank} IS NOT NULL` : `${rank} = ${level}`}`;
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
      return upTo(p, candidates(p, null), cap);
    },
    /** A page of the tier's contact ids, in name order. */
    tier(level: Level, limit: number, offset: number): Statement {
      const p = new Params();
      const from = candidates(p, level);
      return {
        text: `SELECT d.contact_id FROM ${from} ORDER BY d.nom_key, d.prenom_key, d.contact_id LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
        values: p.values,
      };
    },
    /** How many contacts the tier holds (up to `cap`). */
    tierCount(level: Level, cap: number): Statement {
      const p = new Params();
      return upTo(p, candidates(p, level), cap);
    },
  };
}
