import { describe, expect, it } from 'vitest';
import type { Contact } from '@annuaire/protocol';
import { contactParams, contactValues, formFieldFor } from './ContactForm';

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

  it('rebuilds the email list: the form’s two in place with their types, the third untouched', () => {
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

describe('formFieldFor', () => {
  it('maps the server’s field paths to the form’s fields', () => {
    expect(formFieldFor('emails.1.value')).toBe('email2');
    expect(formFieldFor('emails.0.value')).toBe('email');
    expect(formFieldFor('telephones.1.value')).toBe('telephone2');
    expect(formFieldFor('telephone')).toBe('telephone');
    expect(formFieldFor('adresse.ville')).toBe('ville');
    expect(formFieldFor('anniversaire')).toBe('anniversaire');
    expect(formFieldFor('adresse.region')).toBeUndefined();
    expect(formFieldFor('emails.3.value')).toBeUndefined();
  });
});
