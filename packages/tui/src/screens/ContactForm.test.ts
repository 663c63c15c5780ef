import { describe, expect, it } from 'vitest';
import type { Contact } from '@annuaire/protocol';
import { contactParams, contactValues, formFieldFor } from './ContactForm';
import { entries, fieldNames, withEntries } from './contactFormModel';

const anne: Contact = {
  id: 1,
  nom: 'Lefèvre',
  prenom: 'Anne',
  email: 'a@maison.fr',
  telephone: '0102030405',
  emails: [
    { value: 'a@maison.fr', type: 'home' },
    { value: 'a@bureau.fr', type: 'work' },
    { value: 'a@ancien.fr', type: 'other' },
  ],
  telephones: [{ value: '0102030405', type: 'mobile' }],
  entreprise: null,
  fonction: null,
  adresse: { rue: '1 rue de la Paix', code_postal: '75002', ville: 'Paris', region: 'IDF', pays: null },
  anniversaire: null,
  site_web: null,
  notes: null,
  version: 3,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

describe('contactParams', () => {
  it('sends nothing when nothing changed', () => {
    expect(contactParams(anne, contactValues(anne))).toEqual({});
  });

  it('rebuilds the email list from every entry of the form, each keeping its type', () => {
    const params = contactParams(anne, { ...contactValues(anne), email: '', email2: 'a@travail.fr' });
    expect(params).toEqual({
      emails: [
        { value: 'a@travail.fr', type: 'work' },
        { value: 'a@ancien.fr', type: 'other' },
      ],
    });
  });

  it('adds a second phone as "other"', () => {
    expect(contactParams(anne, { ...contactValues(anne), telephone2: '06 11 22 33 44' }).telephones).toEqual([
      { value: '0102030405', type: 'mobile' },
      { value: '06 11 22 33 44', type: 'other' },
    ]);
  });

  it('sends the address whole, keeping the région the form does not show', () => {
    expect(contactParams(anne, { ...contactValues(anne), ville: ' Lyon ', pays: 'France' }).adresse).toEqual({
      rue: '1 rue de la Paix',
      code_postal: '75002',
      ville: 'Lyon',
      pays: 'France',
      region: 'IDF',
    });
    const noRegion = { ...anne, adresse: { ...anne.adresse, region: null } };
    expect(contactParams(noRegion, { ...contactValues(noRegion), rue: '', code_postal: '', ville: '' }).adresse).toBeNull();
  });

  it('clears an emptied optional field with null', () => {
    const withSite = { ...anne, site_web: 'https://x.fr' };
    expect(contactParams(withSite, { ...contactValues(withSite), site_web: '  ' })).toEqual({ site_web: null });
  });
});

describe('entries', () => {
  it('shows every email and phone, at least one field each; removing one keeps the others’ types', () => {
    const values = contactValues(anne);
    expect(fieldNames(values).slice(0, 6)).toEqual(['nom', 'prenom', 'email', 'email2', 'email3', 'telephone']);
    expect(fieldNames(contactValues(undefined)).slice(0, 4)).toEqual(['nom', 'prenom', 'email', 'telephone']);
    const removed = withEntries(values, 'email', entries(values, 'email').filter((_, i) => i !== 0));
    expect(fieldNames(removed).slice(0, 5)).toEqual(['nom', 'prenom', 'email', 'email2', 'telephone']);
    expect(contactParams(anne, removed).emails).toEqual([
      { value: 'a@bureau.fr', type: 'work' },
      { value: 'a@ancien.fr', type: 'other' },
    ]);
    const added = withEntries(values, 'telephone', ['0102030405', '06 11 22 33 44']);
    expect(contactParams(anne, added).telephones).toEqual([
      { value: '0102030405', type: 'mobile' },
      { value: '06 11 22 33 44', type: 'other' },
    ]);
  });
});

describe('formFieldFor', () => {
  it('maps the server’s field paths to the form’s fields', () => {
    expect(formFieldFor('emails.1.value')).toBe('email2');
    expect(formFieldFor('emails.0.value')).toBe('email');
    expect(formFieldFor('telephones.1.value')).toBe('telephone2');
    expect(formFieldFor('telephone')).toBe('telephone');
    expect(formFieldFor('adresse.ville')).toBe('ville');
    expect(formFieldFor('anniversaire')).toBe('anniversaire');
    expect(formFieldFor('adresse.region')).toBeUndefined();
    expect(formFieldFor('emails.3.value')).toBe('email4');
  });
});

describe('birthdays as people type them', () => {
  const t = (key: string) => key;
  it('takes JJ/MM/AAAA (and the other written forms) and sends the stored form', async () => {
    const { validate } = await import('./contactFormModel');
    for (const [typed, stored] of [
      ['12/04/1985', '1985-04-12'],
      ['12.04.1985', '1985-04-12'],
      ['12/04', '--04-12'],
      ['1985-04-12', '1985-04-12'],
      ['--04-12', '--04-12'],
    ]) {
      const values = { ...contactValues(anne), anniversaire: typed! };
      expect(validate(values, t as never).anniversaire, typed).toBeUndefined();
      expect(contactParams(anne, values).anniversaire, typed).toBe(stored);
    }
  });

  it('refuses a date that does not exist, and a form it cannot read, each with its reason', async () => {
    const { validate } = await import('./contactFormModel');
    const error = (typed: string) => validate({ ...contactValues(anne), anniversaire: typed }, t as never).anniversaire;
    expect(error('31/02/1990')).toBe('validation.birthday_impossible');
    expect(error('1990-02-31')).toBe('validation.birthday_impossible');
    expect(error('le 12 avril')).toBe('validation.birthday_invalid');
  });
});
