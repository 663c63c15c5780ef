import { fold } from './fold';

/**
 * Words as the search index cuts folded text: at anything that is not a letter or a digit. The
 * server's index, its queries and the TUI's match highlighting all split here. (The server then
 * asks SQLite about letters of scripts newer than its tokenizer's tables; see its unicode61.ts.)
 */
export function splitFolded(folded: string): string[] {
  return folded.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

/** The distinct words of a search as the server looks for them (phone numbers aside): folded, then split. */
export function searchWords(query: string): string[] {
  return [...new Set(splitFolded(fold(query)))];
}
