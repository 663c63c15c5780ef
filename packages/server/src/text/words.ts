import { splitFolded } from '@annuaire/protocol';
import { unicode61Words } from './unicode61';
/**
 * Words as the search index sees them. The FTS5 tokenizer (unicode61) splits on
 * anything that is not a letter or a digit; the same split is applied to queries
 * and to the vocabulary, so that the three never disagree.
 */
export function splitWords(folded: string): string[] {
  return splitFolded(folded).flatMap(unicode61Words);
}

/** Shortest query word that tolerates a typo (the issue: "a word of 5 letters or more"). */
export const MIN_TYPO_WORD = 5;
/**
 * Vocabulary words: letters only, long enough to be a typo target or worth completing
 * (every word of 4 to 40 letters, so a completion from the vocabulary is complete).
 */
const VOCABULARY_WORD = /^\p{L}{4,40}$/u;

export function isVocabularyWord(word: string): boolean {
  return VOCABULARY_WORD.test(word);
}

/** The distinct words of folded text that typo correction and completion may suggest. */
export function vocabularyWords(folded: string): string[] {
  return [...new Set(withInnerStarts(splitWords(folded)).filter((w) => VOCABULARY_WORD.test(w)))];
}

/**
 * Letters of scripts written without spaces between words (Chinese, Japanese, Korean):
 * a name is one word to the tokenizer ("王小明"), so every part of it must be a word start.
 */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/**
 * Where a part may start: any Han or kana letter; in Hangul, which folding (NFKD) spells
 * in jamo, a leading consonant (U+1100–U+1112), i.e. the start of a syllable.
 */
const PART_START = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u1100-\u1112\u3131-\u314e]/u;
/** Longer unspaced runs are not names: their parts are not indexed. */
const MAX_PARTS = 16;

/** The words, each followed by its inner parts when it is written in an unspaced script ("王小明" → "小明", "明"). */
export function withInnerStarts(words: string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    out.push(w);
    if (!UNSPACED.test(w)) continue;
    const chars = [...w];
    let parts = 0;
    for (let i = 1; i < chars.length && parts < MAX_PARTS; i++) {
      if (!PART_START.test(chars[i]!)) continue;
      out.push(chars.slice(i).join(''));
      parts++;
    }
  }
  return out;
}

/** Whether a query word is eligible for typo tolerance. */
export function toleratesTypo(word: string): boolean {
  return word.length >= MIN_TYPO_WORD && VOCABULARY_WORD.test(word);
}

/**
 * The deletion neighbourhood of a word: the word itself and every string one
 * deletion away. Two words within one edit (insertion, deletion, substitution,
 * adjacent transposition) always share an entry, so indexing every vocabulary
 * word under its neighbourhood turns typo lookup into a few index probes.
 */
export function deletionNeighbourhood(word: string): string[] {
  const out = new Set<string>([word]);
  for (let i = 0; i < word.length; i++) out.add(word.slice(0, i) + word.slice(i + 1));
  return [...out];
}

/** True when `a` and `b` differ by at most one insertion, deletion, substitution or adjacent transposition. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    // substitution, or transposition of i and i+1
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  // one insertion/deletion at i
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * Words of nom and prénom are indexed twice: as themselves, among every other word of
 * the contact, and behind this mark ("ǂdupont"), so that "a word of the names" is a term
 * of its own, read without wading through the other fields' occurrences of the same word.
 * A letter for the tokenizer (Unicode Lo) that no diacritic folding produces or removes.
 */
export const NAME_MARK = 'ǂ';

/** The indexed text of a contact: its name words marked, then every word, unspaced words with their parts. */
export function indexedText(folded: { names: string; other: string }): string {
  const names = withInnerStarts(splitWords(folded.names));
  // The tokenizer splits the rest itself, unless it holds unspaced words to cut into parts.
  const other = UNSPACED.test(folded.other) ? withInnerStarts(splitWords(folded.other)).join(' ') : folded.other;
  return `${names.map((w) => NAME_MARK + w).join(' ')} ${names.join(' ')} ${other}`;
}
