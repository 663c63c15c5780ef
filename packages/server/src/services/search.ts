import { fold } from '../text/fold';
import { looksLikePhone, phoneQueryDigits } from '../text/phone';

/**
 * Turns what a user typed into an FTS5 query: every word must match the start of
 * a word of the contact, in any order and any column ("jean dup" finds Dupont Jean).
 * Returns null when there is nothing to search for.
 */
export function buildFtsQuery(query: string): string | null {
  if (looksLikePhone(query)) return `"${phoneQueryDigits(query)}"*`;
  const words = fold(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 16);
  if (words.length === 0) return null;
  // Words hold only letters and digits, so quoting cannot be escaped.
  return words.map((w) => `"${w}"*`).join(' ');
}
