import { fold } from './fold';

/**
 * The order of list_contacts (sort 'nom'), in one place: the server stores `sortKey(nom)` and
 * `sortKey(prénom)` and lets SQLite order them (by UTF-8 bytes, which is code-point order), then by
 * id; the TUI finds a contact in that list with `compareByNom`. A test lists real contacts from a
 * real server and checks that the two agree.
 */
export const sortKey = (text: string): string => fold(text);

/** Strings by code point, as SQLite compares UTF-8 (UTF-16 code units would put U+FFFF after 😀). */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

export type NomSortable = { nom: string; prenom: string; id: number };

/** How list_contacts (sort 'nom') orders contacts: sort key of the nom, of the prénom, then id. */
export function compareByNom(a: NomSortable, b: NomSortable): number {
  return compareCodePoints(sortKey(a.nom), sortKey(b.nom)) || compareCodePoints(sortKey(a.prenom), sortKey(b.prenom)) || a.id - b.id;
}
