import { describe, expect, it } from 'vitest';
import { fold } from './fold';

describe('fold (shared by the server index and the clients)', () => {
  it('lowercases, strips diacritics and spells out ligatures', () => {
    expect(fold('Hélène LEFÈVRE')).toBe('helene lefevre');
    expect(fold('Œuvre Lætitia Straße')).toBe('oeuvre laetitia strasse');
    expect(fold('Ångström çà')).toBe('angstrom ca');
  });
});
