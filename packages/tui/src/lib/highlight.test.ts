import { describe, expect, it } from 'vitest';
import { searchWords } from '@annuaire/protocol';
import { matchSegments } from './highlight';

const marks = (text: string, query: string) =>
  matchSegments(text, searchWords(query))
    .filter((s) => s.match)
    .map((s) => s.text);

describe('matchSegments', () => {
  it('marks word starts, case and accents aside, both ways', () => {
    expect(marks('Hélène Dupré', 'hel dup')).toEqual(['Hél', 'Dup']);
    expect(marks('Helene DUPRE', 'Hélè')).toEqual(['Hele']);
    expect(marks('helene.dupre@example.com', 'dupre')).toEqual(['dupre']);
  });

  it('maps ligatures and decomposed accents back to the original characters', () => {
    expect(marks('Œdipe', 'oed')).toEqual(['Œd']);
    expect(marks('Lætitia', 'laet')).toEqual(['Læt']);
    expect(marks('Noe\u0308l', 'noel')).toEqual(['Noe\u0308l']);
  });

  it('does not mark the middle of a word, and keeps the whole text', () => {
    expect(marks('Durand', 'ran')).toEqual([]);
    const all = matchSegments('Martin Zoé', searchWords('zo'));
    expect(all.map((s) => s.text).join('')).toBe('Martin Zoé');
    expect(all).toEqual([
      { text: 'Martin ', match: false },
      { text: 'Zo', match: true },
      { text: 'é', match: false },
    ]);
  });

  it('leaves the text alone without a query', () => {
    expect(matchSegments('Abel', [])).toEqual([{ text: 'Abel', match: false }]);
  });
});
