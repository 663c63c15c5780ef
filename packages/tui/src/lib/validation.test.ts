import { describe, expect, it } from 'vitest';
import { ContactFields, Password, Username, Email } from '@annuaire/protocol';
import { translate } from '../i18n';
import { compact, fieldError } from './validation';

const t = (k: Parameters<typeof translate>[1], v?: Parameters<typeof translate>[2]) => translate('fr', k, v);

describe('fieldError', () => {
  it("words the protocol schema's codes from the catalogue", () => {
    expect(fieldError(Username, 'ab', t)).toBe('Au moins 3 caractères');
    expect(fieldError(Username, '-abc', t)).toMatch(/^Lettres, chiffres/);
    expect(fieldError(Password, 'short', t)).toBe('Au moins 8 caractères');
    expect(fieldError(Email, 'pas-un-email', t)).toBe('Adresse email invalide');
    expect(fieldError(ContactFields.shape.nom, '   ', t)).toBe('Le nom est obligatoire');
  });

  it('accepts valid values, including accented names', () => {
    expect(fieldError(Username, 'hélène', t)).toBeUndefined();
    expect(fieldError(ContactFields.shape.telephone, '+33 6 12 34 56 78', t)).toBeUndefined();
  });

  it('falls back to generic wording for codes it does not know', () => {
    expect(fieldError(ContactFields.shape.entreprise, 'x'.repeat(300), t)).toBe('Trop long');
  });
});

describe('compact', () => {
  it('drops fields without an error', () => {
    expect(compact({ a: undefined, b: 'bad' })).toEqual({ b: 'bad' });
  });
});
