/**
 * Folds text for matching: lowercase, no diacritics, French ligatures spelled out.
 * "Hélène Lefèvre" and "HELENE LEFEVRE" fold to the same string; "Œuvre" to "oeuvre".
 * One function serves the index, the query and the clients (the TUI highlights matches and finds
 * a contact in the sorted list with it), so they can never disagree.
 */
// đ (Vietnamese) is a letter of its own to Unicode, not d with a mark: « Đặng » is typed « dang ».
const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ĳ: 'ij', ﬁ: 'fi', ﬂ: 'fl', đ: 'd' };
const LIGATURE_RE = /[œæßĳﬁﬂđ]/g;

export function fold(text: string): string {
  return text
    .toLowerCase()
    .replace(LIGATURE_RE, (c) => LIGATURES[c] ?? c)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '');
}
