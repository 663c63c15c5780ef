import { describe, expect, it } from 'vitest';
import { ProtocolError } from '@annuaire/protocol';
import { translate } from '../i18n';
import { describeFailure } from './describeFailure';

const fr = (k: Parameters<typeof translate>[1], v?: Parameters<typeof translate>[2]) => translate('fr', k, v);

describe('describeFailure', () => {
  it('says when to try again, from retry_after_ms, instead of « Réessayez plus tard »', () => {
    const locked = new ProtocolError({ code: 'too_many_attempts', message: 'Trop de tentatives. Réessayez plus tard.', retry_after_ms: 29_400 });
    expect(describeFailure(locked, fr).message).toBe('Trop de tentatives\u00a0: réessayez dans 30 s.');
    const long = new ProtocolError({ code: 'too_many_attempts', message: 'Trop de tentatives. Réessayez plus tard.', retry_after_ms: 125_000 });
    expect(describeFailure(long, fr).message).toBe('Trop de tentatives\u00a0: réessayez dans 3 min.');
    const slow = new ProtocolError({ code: 'rate_limited', message: 'Trop de requêtes. Ralentissez.', retry_after_ms: 1_500 });
    expect(describeFailure(slow, fr).message).toBe('Trop de requêtes. Ralentissez. Réessayez dans 2 s.');
    const plain = new ProtocolError({ code: 'contact_not_found', message: 'Contact introuvable.' });
    expect(describeFailure(plain, fr).message).toBe('Contact introuvable.');
  });
});
