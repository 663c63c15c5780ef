/**
 * Folds text for matching: lowercase, no diacritics, French ligatures spelled out.
 * "Hélène Lefèvre" and "HELENE LEFEVRE" fold to the same string; "Œuvre" to "oeuvre".
 * One function serves the index, the query and the clients (the TUI highlights matches and finds
 * a contact in the sorted list with it), so they can never disagree.
 */
const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ĳ: 'ij', ﬁ: 'fi', ﬂ: 'fl' };
const LIGATURE_RE = /[œæßĳﬁﬂ]/g;

export function fold(text: string): string {
  return text
    .toLowerCase()
    .replace(LIGATURE_RE, (c) => LIGATURES[c] ?? c)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '');
}
