import { ERROR_CODES } from '@annuaire/protocol';
import { describe, expect, it } from 'vitest';
import * as en from './en';
import * as fr from './fr';

describe('server message catalogues', () => {
  it('have a French and an English message for every error code', () => {
    for (const code of ERROR_CODES) {
      expect(fr.errors[code], code).toBeTruthy();
      expect(en.errors[code], code).toBeTruthy();
      expect(fr.errors[code]).not.toBe(en.errors[code]);
    }
  });

  it('have the same reasons and messages in both languages', () => {
    expect(Object.keys(en.reasons).sort()).toEqual(Object.keys(fr.reasons).sort());
    expect(Object.keys(en.messages).sort()).toEqual(Object.keys(fr.messages).sort());
  });

  it('keep the seed wording', () => {
    expect(fr.errors.username_taken).toBe("Le nom d'utilisateur existe déjà. Veuillez choisir un autre nom d'utilisateur.");
    expect(fr.errors.invalid_credentials).toBe("Nom d'utilisateur ou mot de passe incorrect.");
    expect(fr.errors.contact_not_found).toBe("Contact introuvable dans l'annuaire.");
    expect(fr.messages.login_ok).toBe('Connexion réussie.');
  });
});
