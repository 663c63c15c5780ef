import { describe, expect, it } from 'vitest';
import { ACTIONS, PUBLIC_ACTIONS } from '../actions';
import { Response } from '../envelope';

describe('account schemas', () => {
  const create = ACTIONS.create_account.params;
  it('accepts usernames of letters in any script, digits, . _ -', () => {
    for (const username of ['rim', 'Hélène', 'jean-luc.m_2', 'Åsa', '李小龙', '7eleven']) {
      expect(create.safeParse({ username, password: 'motdepasse' }).success, username).toBe(true);
    }
  });
  it('rejects bad usernames with a named reason', () => {
    const reasonOf = (username: string) => create.safeParse({ username, password: 'motdepasse' }).error?.issues[0]?.message;
    expect(reasonOf('ab')).toBe('username_too_short');
    expect(reasonOf('a'.repeat(33))).toBe('username_too_long');
    expect(reasonOf('_rim')).toBe('username_invalid_characters');
    expect(reasonOf('rim jabri')).toBe('username_invalid_characters');
    expect(reasonOf('rim@x')).toBe('username_invalid_characters');
    for (const invisible of ['\u034f', '\ufe0f', '\u180b', '\u200d', '\u00ad']) {
      expect(reasonOf(`rim${invisible}`), invisible.codePointAt(0)!.toString(16)).toBe('username_invisible_characters');
    }
  });
  it('rejects extra parameters', () => {
    expect(create.safeParse({ username: 'rim', password: 'motdepasse', admin: true }).success).toBe(false);
  });
  it('only lets the account actions through before login', () => {
    expect([...PUBLIC_ACTIONS].sort()).toEqual(['create_account', 'login', 'ping', 'resume_session', 'set_language']);
  });
});

describe('contact schemas', () => {
  const add = ACTIONS.add_contact.params;
  it('takes the seed fields and the optional ones', () => {
    const parsed = add.parse({
      nom: '  Dupré ',
      prenom: 'Hélène',
      email: 'helene@example.fr',
      telephone: '+33 6 12 34 56 78',
      adresse: { rue: '1 rue de la Paix', code_postal: '75002', ville: 'Paris' },
      anniversaire: '--04-12',
      entreprise: 'ACME',
    });
    expect(parsed.nom).toBe('Dupré');
  });
  it('names the faulty field', () => {
    const fieldOf = (p: object) => add.safeParse(p).error?.issues[0]?.path.join('.');
    expect(fieldOf({ nom: '' })).toBe('nom');
    expect(fieldOf({ nom: 'x', email: 'pas-un-email' })).toBe('email');
    expect(fieldOf({ nom: 'x', telephone: 'abc' })).toBe('telephone');
    expect(fieldOf({ nom: 'x', anniversaire: '2020-13-01' })).toBe('anniversaire');
    expect(fieldOf({ nom: 'x', emails: [{ value: 'a@b.fr', type: 'pigeon' }] })).toBe('emails.0.type');
  });
  it('leaves absent fields absent in an update, so they stay unchanged', () => {
    expect(ACTIONS.update_contact.params.parse({ contact_id: 1, version: 2, notes: 'x' })).toEqual({
      contact_id: 1,
      version: 2,
      notes: 'x',
    });
  });
});

describe('replies', () => {
  it('reads both reply shapes', () => {
    expect(Response.parse({ id: 1, ok: true, result: { pong: true } }).ok).toBe(true);
    const err = Response.parse({ id: null, ok: false, error: { code: 'bad_request', message: 'x' } });
    expect(err.ok).toBe(false);
    expect(Response.safeParse({ id: 1, ok: false, error: { code: 'not_a_code', message: 'x' } }).success).toBe(false);
  });
});
