import { fold } from '../text/fold';
import { looksLikePhone, phoneQueryDigits } from '../text/phone';
import { splitWords, toleratesTypo, withinOneEdit } from '../text/words';

/** More words than this add cost without narrowing anything a person would type. */
const MAX_WORDS = 8;

/**
 * The words to look for, folded like the index: "Hélène LEF" gives ["helene", "lef"].
 * A query that looks like a phone number becomes one digit string, in national form
 * when it is a whole international number ("+33 6 12 34 56 78" gives ["0612345678"]);
 * every number is indexed under its national, international and typed digits.
 */
export function queryWords(query: string): string[] {
  if (looksLikePhone(query)) return [phoneQueryDigits(query)];
  return [...new Set(splitWords(fold(query)))].slice(0, MAX_WORDS);
}

/** The query words that may carry one typo. */
export function typoWords(words: string[]): string[] {
  return words.filter(toleratesTypo);
}

/** Keeps the candidates within one edit of `word` (the index's candidate step over-approximates). */
export function corrections(word: string, candidates: string[]): string[] {
  return candidates.filter((c) => c !== word && withinOneEdit(word, c));
}

export interface SearchPlan {
  /** FTS5 expressions, best rank first. Their match sets are disjoint. */
  tiers: string[];
  /** An expression whose matches are exactly the union of the tiers: the total. */
  all: string;
}

// Words hold only letters and digits (splitWords), so quoting cannot be escaped.
const exact = (w: string) => `"${w}"`;
const prefix = (w: string) => `"${w}"*`;

/**
 * The ranking, as disjoint tiers; inside a tier the store orders by nom, prénom, id.
 * Every query word must match a word of the contact, in any order:
 *   0. each query word is a whole word of nom or prénom;
 *   1. each is the start of a word of nom or prénom;
 *   2. each is a whole word of some field;
 *   3. each is the start of a word of some field;
 *   4. as 3, but a word of 5 letters or more may instead be one typo away from a word.
 */
export function planSearch(words: string[], fixes: Map<string, string[]> = new Map()): SearchPlan {
  const and = (f: (w: string) => string) => `(${words.map(f).join(' AND ')})`;
  const exactNames = `names : ${and(exact)}`;
  const prefixNames = `names : ${and(prefix)}`;
  const exactAny = and(exact);
  const prefixAny = and(prefix);
  const tiers = [
    exactNames,
    `${prefixNames} NOT ${exactNames}`,
    `${exactAny} NOT ${prefixNames}`,
    `${prefixAny} NOT (${prefixNames} OR ${exactAny})`,
  ];
  const fuzzyWords = words.filter((w) => (fixes.get(w)?.length ?? 0) > 0);
  if (fuzzyWords.length === 0) return { tiers, all: prefixAny };
  const fuzzy = `(${words
    .map((w) => {
      const alternatives = fixes.get(w) ?? [];
      return alternatives.length === 0 ? prefix(w) : `(${[prefix(w), ...alternatives.map(exact)].join(' OR ')})`;
    })
    .join(' AND ')})`;
  tiers.push(`${fuzzy} NOT ${prefixAny}`);
  return { tiers, all: fuzzy };
}
