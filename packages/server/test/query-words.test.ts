import { searchWords } from '@annuaire/protocol';
import { expect, it } from 'vitest';
import { queryWords } from '../src/services/search';

// The TUI marks the words of a filter with the protocol's searchWords: they must be the words the
// server searches for, or a match would go unmarked (or a non-match be marked).
it("the server searches for the words the TUI highlights (the protocol's searchWords)", () => {
  const queries = ['Hélène LEF', "  l'Œuvre  d’Ǆemal ", 'jean-pierre dupont', 'Straße ǲ ﬁne', 'Đặng Văn', '王小明 Müller', 'x, y; z', 'a.b@c.fr', 'Ναυσικά Сергей'];
  for (const q of queries) expect(queryWords(q)).toEqual(searchWords(q));
});
