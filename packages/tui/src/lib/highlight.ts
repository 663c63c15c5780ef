import { fold } from '@annuaire/protocol';

export interface Segment {
  text: string;
  match: boolean;
}

const WORD = /[\p{L}\p{N}]/u;

/**
 * `text` cut into runs, those that a query word matches marked: like the server, a word matches
 * the start of a word of the text, case, accents and ligatures aside ("hel" marks "Hél" in
 * "Hélène", "oe" the "Œ" of "Œdipe"). Each character of the text is folded on its own, keeping
 * track of where each folded letter came from, so marks fall on the original characters.
 */
export function matchSegments(text: string, words: readonly string[]): Segment[] {
  if (words.length === 0 || text === '') return [{ text, match: false }];
  let folded = '';
  /** For each UTF-16 unit of `folded`: the original character's start and end. */
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = fold(ch);
    for (let k = 0; k < f.length; k++) {
      from.push(i);
      to.push(i + ch.length);
    }
    folded += f;
    i += ch.length;
  }
  const marked = new Uint8Array(text.length);
  for (let k = 0; k < folded.length; k++) {
    if (k > 0 && WORD.test(folded[k - 1]!)) continue; // only at the start of a word
    for (const w of words) {
      if (!folded.startsWith(w, k)) continue;
      marked.fill(1, from[k]!, to[k + w.length - 1]!);
    }
  }
  const segments: Segment[] = [];
  let start = 0;
  for (let j = 1; j <= text.length; j++) {
    if (j === text.length || marked[j] !== marked[start]) {
      segments.push({ text: text.slice(start, j), match: marked[start] === 1 });
      start = j;
    }
  }
  return segments;
}
