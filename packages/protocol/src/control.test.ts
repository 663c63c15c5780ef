import { describe, expect, it } from 'vitest';
import { hasControlCharacters, stripControlCharacters } from './control';

const single = { multiline: false };
const multi = { multiline: true };

describe('control characters', () => {
  it('refuses ESC, BEL, NUL, DEL and C1 in any field, keeps tab', () => {
    for (const c of ['\u001b', '\u0007', '\u0000', '\u007f', '\u0085', '\u009b', '\u009f']) {
      expect(hasControlCharacters(`a${c}b`, single)).toBe(true);
      expect(hasControlCharacters(`a${c}b`, multi)).toBe(true);
    }
    expect(hasControlCharacters('a\tb', single)).toBe(false);
    expect(hasControlCharacters('Hélène Œdipe 東京 ‎', single)).toBe(false);
  });

  it('allows line breaks only in multi-line fields, in any platform form', () => {
    for (const lines of ['a\nb', 'a\r\nb', 'a\rb']) {
      expect(hasControlCharacters(lines, single)).toBe(true);
      expect(hasControlCharacters(lines, multi)).toBe(false);
    }
  });

  it('strips what a field refuses, keeping words apart', () => {
    expect(stripControlCharacters('\u001b]52;c;Y3VybA==\u0007évil', single)).toBe(']52;c;Y3VybA==évil');
    expect(stripControlCharacters('a\r\nb\u009bc', single)).toBe('a bc');
    expect(stripControlCharacters('a\r\nb\rc\u0000', multi)).toBe('a\nb\nc');
  });
});

describe('contacts as clients receive them', () => {
  it('arrive without the control characters an older database may still hold', async () => {
    const { Contact } = await import('./messages/contacts');
    const stored = {
      id: 1,
      nom: 'Banque\u001b]2;pwned\u0007',
      prenom: '',
      email: null,
      telephone: '06\u009b12',
      emails: [],
      telephones: [{ value: '06\u009b12', type: 'mobile' }],
      entreprise: null,
      fonction: null,
      adresse: { rue: 'a\r\nb\u001b[2J' },
      anniversaire: null,
      site_web: 'https://x.example\r\nTEL:0899',
      notes: 'ligne\u001b]52;c;eA==\u0007\nsuite',
      version: 1,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    };
    const shown = Contact.parse(stored);
    expect(shown.nom).toBe('Banque]2;pwned');
    expect(shown.telephone).toBe('0612');
    expect(shown.telephones[0]!.value).toBe('0612');
    expect(shown.adresse?.rue).toBe('a\nb[2J');
    expect(shown.site_web).toBe('https://x.example TEL:0899');
    expect(shown.notes).toBe('ligne]52;c;eA==\nsuite');
  });
});
