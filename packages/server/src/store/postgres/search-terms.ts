import type { ContactRecord } from '../rows';
import { splitWords, withInnerStarts } from '../../text/words';

/**
 * The terms PostgreSQL's search index stores for a contact, derived from the same words as
 * SQLite's (text/words.ts), so that both backends find the same contacts.
 */

/** Bump when the terms derived from a record change: the index is then rebuilt (search.ts PG_SEARCH_VERSION). */
export const TERMS_VERSION = 1;

/** Every word is stored with its first 1…PREFIX_TERMS characters, as FTS5's prefix indexes (1 to 6). */
export const PREFIX_TERMS = 6;
/**
 * Longer words are stored cut (as a prefix, never as a whole word): a btree entry has a size
 * limit, and no query word (200 characters) gets that long to need more.
 */
export const MAX_TERM = 256;
/** Above every character: `term >= w AND term < w || TOP` is "term starts with w" in byte order (COLLATE "C"). */
export const TOP = '\u{10FFFF}';

/**
 * A word as SQLite's unicode61 tokenizer (remove_diacritics 2) indexes it. splitWords already
 * asks the tokenizer for words outside Latin, Greek and Cyrillic; within them it folds two
 * things more than `fold`: final sigma to σ (« Παπαδόπουλος ») and the few letters whose
 * compatibility form is a capital (modifier letters such as ᴬ).
 */
export function indexTerm(word: string): string {
  return /[ς\p{Lu}\p{Lt}]/u.test(word) ? word.toLowerCase().replaceAll('ς', 'σ') : word;
}

export const codePoints = (s: string) => [...s];

export interface TermRow {
  term: string;
  /** A whole word of nom or prénom. */
  en: boolean;
  /** A whole word of some field. */
  ea: boolean;
  /** The start of a word of nom or prénom. */
  pn: boolean;
}

/** The contact's distinct terms: its words (CJK ones with their inner starts) and their short prefixes. */
export function termRows(record: Pick<ContactRecord, 'searchNames' | 'searchOther'>): TermRow[] {
  const rows = new Map<string, TermRow>();
  const add = (word: string, inName: boolean) => {
    const chars = codePoints(indexTerm(word));
    const whole = chars.length <= MAX_TERM;
    const upTo = Math.min(chars.length, MAX_TERM);
    for (let n = 1; n <= upTo; n++) {
      // The short prefixes, and the word itself.
      if (n > PREFIX_TERMS && n < upTo) n = upTo;
      const term = chars.slice(0, n).join('');
      const isWord = whole && n === chars.length;
      const r = rows.get(term) ?? { term, en: false, ea: false, pn: false };
      r.en ||= isWord && inName;
      r.ea ||= isWord;
      r.pn ||= inName;
      rows.set(term, r);
    }
  };
  for (const w of withInnerStarts(splitWords(record.searchNames))) add(w, true);
  for (const w of withInnerStarts(splitWords(record.searchOther))) add(w, false);
  return [...rows.values()];
}
