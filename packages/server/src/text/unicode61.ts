import type { Statement } from 'better-sqlite3';
import { Sqlite } from '../store/sqlite';

/**
 * How SQLite's own unicode61 tokenizer cuts a string into words. Its character tables
 * date from Unicode 6.1, so letters of scripts added since (Anatolian hieroglyphs, Hanifi
 * Rohingya…) are separators to it, though JavaScript's \p{L} calls them letters. A query
 * word that SQLite would cut in two becomes a phrase, which the index (detail=none) refuses:
 * asking SQLite itself is the only way to agree with it exactly.
 */
let probe: { clear: Statement; insert: Statement; terms: Statement<[], { term: string }> } | null = null;

/** Opened on first need, closed at exit: an open database left to the garbage collector at exit crashes Node 24. */
function openProbe() {
  const db = new Sqlite(':memory:');
  db.exec(`
    CREATE VIRTUAL TABLE probe USING fts5(x, tokenize = 'unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE probe_terms USING fts5vocab(probe, 'instance');
  `);
  process.once('exit', () => db.close());
  return {
    clear: db.prepare('DELETE FROM probe'),
    insert: db.prepare('INSERT INTO probe (x) VALUES (?)'),
    terms: db.prepare<[], { term: string }>('SELECT term FROM probe_terms ORDER BY offset'),
  };
}

const cache = new Map<string, string[]>();
const CACHE_MAX = 10_000;

/** Letters of the scripts unicode61 surely knows (Latin, Greek, Cyrillic…) and digits: no need to ask. */
const PLAIN = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{N}]+$/u;

/** The words SQLite's unicode61 finds in `word` (usually just `word`). */
export function unicode61Words(word: string): string[] {
  if (PLAIN.test(word)) return [word];
  let out = cache.get(word);
  if (!out) {
    probe ??= openProbe();
    probe.clear.run();
    probe.insert.run(word);
    out = probe.terms.all().map((r) => r.term);
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(word, out);
  }
  return out;
}
