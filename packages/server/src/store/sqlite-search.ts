import { corrections, typoWords } from '../services/search';
import { isVocabularyWord, NAME_MARK } from '../text/words';
import type { SearchResult } from './backend';
import type { ContactStore } from './contacts';

/**
 * Search on SQLite: the query words become FTS5 expressions, one per ranking tier
 * (planSearch), read from the index in name order (store/search-index.ts).
 */
export function sqliteSearch(store: ContactStore) {
  return (annuaire: number, words: string[], limit: number, offset: number): SearchResult => {
    const index = store.searchIndex;
    const completions = new Map<string, string[]>();
    for (const w of completableWords(words)) {
      const found = index.wordsStartingWith(annuaire, w, MAX_COMPLETIONS + 1);
      if (found.length <= MAX_COMPLETIONS) completions.set(w, found.length > 0 ? found : [w]);
    }
    const fixes = new Map<string, string[]>();
    for (const w of typoWords(words)) fixes.set(w, corrections(w, index.similarWords(annuaire, w)));
    const plan = planSearch(words, { completions, fixes });
    const { ids, total, totalIsLowerBound } = index.search(annuaire, plan.tiers, plan.all, limit, offset);
    return { rows: store.getMany(annuaire, ids), total, totalIsLowerBound };
  };
}

/** The query words worth completing from the vocabulary (see WordHints). */
export function completableWords(words: string[]): string[] {
  return words.filter((w) => w.length >= MIN_COMPLETED_WORD && isVocabularyWord(w));
}

export interface SearchPlan {
  /** FTS5 expressions, best rank first. Their match sets are disjoint. */
  tiers: string[];
  /** An expression whose matches are exactly the union of the tiers: the total. */
  all: string;
}

/** What the vocabulary says about the query words. */
export interface WordHints {
  /**
   * Every indexed word a query word is a prefix of, when there are few: FTS5 reads an
   * OR of whole words lazily, where a prefix longer than its prefix indexes (5) makes
   * it merge every matching word's list first.
   */
  completions?: Map<string, string[]>;
  /** Indexed words one typo away from a query word. */
  fixes?: Map<string, string[]>;
}

/**
 * Query words at least this long are completed from the vocabulary: shorter ones, and
 * their marked twins ("ǂ" + 5 letters), have prefix indexes (1 to 6 characters).
 */
export const MIN_COMPLETED_WORD = 6;
/**
 * Above this many completions, a prefix query is used: FTS5 then merges the lists of every
 * word with that prefix, in every annuaire, so completions are worth many terms.
 */
export const MAX_COMPLETIONS = 48;

// Words hold only letters and digits (splitWords), so quoting cannot be escaped.
const exact = (w: string) => `"${w}"`;
const anyOf = (terms: string[]) => (terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`);

/**
 * The ranking, as disjoint tiers; inside a tier the store orders by nom, prénom, id.
 * Every query word must match a word of the contact, in any order:
 *   0. each query word is a whole word of nom or prénom;
 *   1. each is the start of a word of nom or prénom;
 *   2. each is a whole word of some field;
 *   3. each is the start of a word of some field;
 *   4. as 1, but a word of 5 letters or more may instead be one typo away from a word;
 *   5. as 3, with the same tolerance.
 */
export function planSearch(words: string[], hints: WordHints = {}): SearchPlan {
  // `mark` turns a term into its name-words-only twin (text/words.ts NAME_MARK).
  const prefix = (w: string, mark = '') => {
    const completions = hints.completions?.get(w);
    return completions ? anyOf(completions.map((c) => exact(mark + c))) : `"${mark}${w}"*`;
  };
  const fuzzy = (w: string, mark = '') => anyOf([prefix(w, mark), ...(hints.fixes?.get(w) ?? []).map((c) => exact(mark + c))]);
  const and = (f: (w: string) => string) => `(${words.map(f).join(' AND ')})`;
  const exactNames = and((w) => exact(NAME_MARK + w));
  const prefixNames = and((w) => prefix(w, NAME_MARK));
  const exactAny = and(exact);
  const prefixAny = and((w) => prefix(w));
  // When no query word starts a longer word, the prefix tiers equal the exact ones: skip them.
  const tiers = [
    exactNames,
    ...(prefixNames === exactNames ? [] : [`${prefixNames} NOT ${exactNames}`]),
    `${exactAny} NOT ${prefixNames}`,
    ...(prefixAny === exactAny ? [] : [`${prefixAny} NOT (${prefixNames} OR ${exactAny})`]),
  ];
  if (!words.some((w) => (hints.fixes?.get(w)?.length ?? 0) > 0)) return { tiers, all: prefixAny };
  const fuzzyNames = and((w) => fuzzy(w, NAME_MARK));
  const fuzzyAny = and((w) => fuzzy(w));
  tiers.push(`${fuzzyNames} NOT ${prefixAny}`, `${fuzzyAny} NOT (${prefixAny} OR ${fuzzyNames})`);
  return { tiers, all: fuzzyAny };
}
