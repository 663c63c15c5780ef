import { describe, expect, it } from 'vitest';
import { en } from './en';
import { fr } from './fr';
import { pickLanguage, translate, typography } from './index';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  it('fr and en have exactly the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
  });

  it('each key uses the same placeholders in both languages', () => {
    for (const key of Object.keys(fr) as (keyof typeof fr)[]) {
      expect({ key, vars: placeholders(en[key]) }).toEqual({ key, vars: placeholders(fr[key]) });
    }
  });

  it("keeps the seed's wording for the start menu and the not-found message", () => {
    expect([fr['welcome.create'], fr['welcome.login'], fr['welcome.quit']]).toEqual(['Créer un compte', 'Se connecter', 'Quitter']);
    expect(fr['search.notFound']).toBe('Contact introuvable dans l’annuaire.');
  });

  it('French has one apostrophe, ’', () => {
    for (const [key, text] of Object.entries(fr)) expect({ key, ascii: /\p{L}'\p{L}/u.test(text) }).toEqual({ key, ascii: false });
  });
});

describe('typography', () => {
  it('keeps « . », « ? » and « » » on the line of the word before them, in French only', () => {
    expect(translate('fr', 'validation.username_invalid_characters')).toContain('«\u00a0.\u00a0»');
    expect(translate('fr', 'back.confirm')).toMatch(/arrière\u00a0\?$/);
    expect(typography('fr', "Contact introuvable dans l'annuaire : « x »")).toBe('Contact introuvable dans l’annuaire\u00a0: «\u00a0x\u00a0»');
    expect(typography('en', "Can't : x")).toBe("Can't : x");
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones alone', () => {
    expect(translate('fr', 'contacts.count', { count: 3 })).toBe('3 contact(s)');
    expect(translate('en', 'app.server', {})).toBe('Server {address}');
  });
});

describe('pickLanguage', () => {
  it('prefers the flag, then LANG, then French', () => {
    expect(pickLanguage('en', { LANG: 'fr_FR.UTF-8' })).toBe('en');
    expect(pickLanguage(undefined, { LANG: 'en_GB.UTF-8' })).toBe('en');
    expect(pickLanguage(undefined, { LANG: 'de_DE.UTF-8' })).toBe('fr');
    expect(pickLanguage(undefined, {})).toBe('fr');
  });
});
