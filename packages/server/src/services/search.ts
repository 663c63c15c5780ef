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

/** Typo fixes tried per query word: the query stays small whatever the annuaire's words. */
export const MAX_FIXES = 16;

/** Keeps the candidates within one edit of `word` (the index's candidate step over-approximates), at most MAX_FIXES. */
export function corrections(word: string, candidates: string[]): string[] {
  return candidates.filter((c) => c !== word && withinOneEdit(word, c)).slice(0, MAX_FIXES);
}
