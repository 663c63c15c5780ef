import { ACTION_NAMES, PUBLIC_ACTIONS, type AnnuaireClient } from '@annuaire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protocolError, startTestServer, type TestServer } from './helpers';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const helene = {
  nom: 'Dupré',
  prenom: 'Hélène',
  email: 'helene.dupre@example.fr',
  telephone: '06 12 34 56 78',
  entreprise: 'Atelier Lumière',
  adresse: { rue: '12 rue des Lilas', code_postal: '69003', ville: 'Lyon', pays: 'France' },
  anniversaire: '1985-04-12',
  notes: 'Rencontrée au salon du livre',
};

describe('add and get', () => {
  it('stores every field and returns the full contact with version 1', async () => {
    const { client } = await t.user();
    const { contact } = await client.request('add_contact', helene);
    expect(contact).toMatchObject({
      ...helene,
      emails: [{ value: helene.email, type: 'other' }],
      telephones: [{ value: helene.telephone, type: 'mobile' }],
      version: 1,
    });
    expect(contact.created_at).toBe(contact.updated_at);
    expect((await client.request('get_contact', { contact_id: contact.id })).contact).toEqual(contact);
  });

  it('takes several typed emails and phones; email/telephone are the first of each', async () => {
    const { client } = await t.user();
    const { contact } = await client.request('add_contact', {
      nom: 'Martin',
      emails: [
        { value: 'paul@travail.fr', type: 'work' },
        { value: 'paul@maison.fr', type: 'home' },
      ],
      telephones: [{ value: '+33 1 23 45 67 89', type: 'work' }],
    });
    expect(contact.prenom).toBe('');
    expect(contact.email).toBe('paul@travail.fr');
    expect(contact.telephone).toBe('+33 1 23 45 67 89');
    const both = await protocolError(
      client.request('add_contact', { nom: 'X', email: 'a@b.fr', emails: [{ value: 'c@d.fr', type: 'home' }] }),
    );
    expect(both.code).toBe('invalid_params');
    expect(both.body.field).toBe('email');
  });

  it('refuses bad fields, naming each, and stores nothing', async () => {
    const { client } = await t.user();
    const bad = await protocolError(client.request('add_contact', { nom: '', email: 'pas-un-email', telephone: 'abc' }));
    expect(bad.code).toBe('invalid_params');
    expect(bad.body.issues?.map((i) => i.field).sort()).toEqual(['email', 'nom', 'telephone']);
    expect(bad.message).toMatch(/nom/);
    expect((await client.request('list_contacts')).total).toBe(0);
  });

  it('answers contact_not_found for an id that does not exist', async () => {
    const { client } = await t.user();
    const err = await protocolError(client.request('get_contact', { contact_id: 999_999 }));
    expect(err.body).toEqual({ code: 'contact_not_found', message: "Contact introuvable dans l'annuaire." });
  });
});

describe('update', () => {
  it('changes only the given fields and bumps the version', async () => {
    const { client } = await t.user();
    const { contact } = await client.request('add_contact', helene);
    const { contact: updated } = await client.request('update_contact', {
      contact_id: contact.id,
      version: 1,
      telephone: '07 00 00 00 01',
      notes: null,
    });
    expect(updated).toMatchObject({ nom: 'Dupré', prenom: 'Hélène', email: helene.email, telephone: '07 00 00 00 01', notes: null, version: 2 });
    expect(updated.adresse).toEqual(contact.adresse);
  });

  it('refuses a stale version with version_conflict, the current contact, and no change', async () => {
    const { client } = await t.user();
    const { contact } = await client.request('add_contact', helene);
    await client.request('update_contact', { contact_id: contact.id, version: 1, notes: 'première' });
    const err = await protocolError(client.request('update_contact', { contact_id: contact.id, version: 1, notes: 'seconde' }));
    expect(err.code).toBe('version_conflict');
    expect(err.body.current).toMatchObject({ notes: 'première', version: 2 });
    expect((await client.request('get_contact', { contact_id: contact.id })).contact).toMatchObject({ notes: 'première', version: 2 });
  });

  it('lets exactly one of two concurrent editors of one version win', async () => {
    const { client, username, password } = await t.user();
    const other = await t.client();
    await other.request('login', { username, password });
    const { contact } = await client.request('add_contact', helene);
    const results = await Promise.allSettled([
      client.request('update_contact', { contact_id: contact.id, version: 1, prenom: 'A' }),
      other.request('update_contact', { contact_id: contact.id, version: 1, prenom: 'B' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'version_conflict' } });
  });

  it('validates updated fields like new ones', async () => {
    const { client } = await t.user();
    const { contact } = await client.request('add_contact', helene);
    const err = await protocolError(client.request('update_contact', { contact_id: contact.id, version: 1, nom: '' }));
    expect(err.body.field).toBe('nom');
    expect((await client.request('get_contact', { contact_id: contact.id })).contact.version).toBe(1);
  });
});

describe('delete', () => {
  it('removes the contact from get, list and search', async () => {
    const { client } = await t.user();
    const { contact } = await client.request('add_contact', helene);
    const done = await client.request('delete_contact', { contact_id: contact.id });
    expect(done.contact_id).toBe(contact.id);
    await expect(client.request('get_contact', { contact_id: contact.id })).rejects.toMatchObject({ code: 'contact_not_found' });
    await expect(client.request('delete_contact', { contact_id: contact.id })).rejects.toMatchObject({ code: 'contact_not_found' });
    expect((await client.request('list_contacts')).total).toBe(0);
    expect((await client.request('search_contacts', { query: 'dupre' })).contacts).toEqual([]);
  });
});

describe('list_contacts', () => {
  async function fill(client: AnnuaireClient) {
    const names = [
      ['Zola', 'Émile'],
      ['écrivain', 'Anne'],
      ['Dupont', 'Jean'],
      ['dupont', 'Albert'],
      ['Ébert', 'Marc'],
      ['Aubert', 'Zoé'],
      ['Martin', 'Paul'],
    ];
    for (const [nom, prenom] of names) await client.request('add_contact', { nom: nom!, prenom: prenom! });
  }

  it('sorts by nom then prénom, ignoring case and accents', async () => {
    const { client } = await t.user();
    await fill(client);
    const page = await client.request('list_contacts', {});
    expect(page.contacts.map((c) => `${c.nom} ${c.prenom}`)).toEqual([
      'Aubert Zoé',
      'dupont Albert',
      'Dupont Jean',
      'Ébert Marc',
      'écrivain Anne',
      'Martin Paul',
      'Zola Émile',
    ]);
    expect(page.total).toBe(7);
    expect(page.next_cursor).toBeNull();
  });

  it('pages with a cursor, without gaps or repeats, in every sort order', async () => {
    const { client } = await t.user();
    await fill(client);
    for (const sort of ['nom', 'prenom', 'created_at', 'updated_at'] as const) {
      const all = (await client.request('list_contacts', { sort, limit: 100 })).contacts.map((c) => c.id);
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.request('list_contacts', { sort, limit: 3, ...(cursor ? { cursor } : {}) });
        expect(page.contacts.length).toBeLessThanOrEqual(3);
        seen.push(...page.contacts.map((c) => c.id));
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      expect(seen, sort).toEqual(all);
    }
  });

  it('jumps to an offset, then pages on from there with the cursor', async () => {
    const { client } = await t.user();
    await fill(client);
    const all = (await client.request('list_contacts', { limit: 100 })).contacts.map((c) => c.nom);
    const tail = await client.request('list_contacts', { offset: 5, limit: 1 });
    expect(tail.contacts.map((c) => c.nom)).toEqual([all[5]]);
    expect(tail.total).toBe(7);
    const last = await client.request('list_contacts', { cursor: tail.next_cursor!, limit: 10 });
    expect(last.contacts.map((c) => c.nom)).toEqual([all[6]]);
    expect(last.next_cursor).toBeNull();
    const both = await protocolError(client.request('list_contacts', { offset: 1, cursor: tail.next_cursor! }));
    expect(both.body.field).toBe('offset');
  });

  it('refuses a forged cursor and a limit out of range', async () => {
    const { client } = await t.user();
    expect((await protocolError(client.request('list_contacts', { cursor: 'n’importe quoi' }))).body.field).toBe('cursor');
    expect((await protocolError(client.request('list_contacts', { limit: 0 }))).body.field).toBe('limit');
    expect((await protocolError(client.request('list_contacts', { limit: 501 }))).body.field).toBe('limit');
  });
});

describe('recherche_contact (the seed)', () => {
  it('finds by exact nom and prénom, ignoring case and accents', async () => {
    const { client } = await t.user();
    await client.request('add_contact', helene);
    await client.request('add_contact', { nom: 'Dupré', prenom: 'Hélène', email: 'homonyme@example.fr' });
    await client.request('add_contact', { nom: 'Dupré', prenom: 'Henri' });
    for (const [nom, prenom] of [['dupre', 'helene'], ['DUPRÉ', 'HÉLÈNE'], [' Dupre ', 'Helene']]) {
      const { contacts } = await client.request('recherche_contact', { nom: nom!, prenom: prenom! });
      expect(contacts.map((c) => c.email).sort()).toEqual(['helene.dupre@example.fr', 'homonyme@example.fr']);
      expect(contacts[0]).toHaveProperty('telephone');
    }
  });

  it('with an empty or absent prénom, lists every contact with that nom, by prénom', async () => {
    const { client } = await t.user();
    await client.request('add_contact', { nom: 'Dupré', prenom: 'Hélène' });
    await client.request('add_contact', { nom: 'DUPRE', prenom: 'Anne' });
    await client.request('add_contact', { nom: 'Dupré' });
    await client.request('add_contact', { nom: 'Duprés', prenom: 'Zoé' });
    for (const params of [{ nom: 'dupre', prenom: '' }, { nom: 'Dupré', prenom: '  ' }, { nom: 'dupré' }]) {
      const { contacts } = await client.request('recherche_contact', params);
      expect(contacts.map((c) => c.prenom)).toEqual(['', 'Anne', 'Hélène']);
    }
    const err = await protocolError(client.request('recherche_contact', { nom: 'Zola' }));
    expect(err.body.code).toBe('contact_not_found');
  });

  it('does not match a prefix, and says « Contact introuvable dans l\'annuaire. »', async () => {
    const { client } = await t.user();
    await client.request('add_contact', helene);
    const err = await protocolError(client.request('recherche_contact', { nom: 'dup', prenom: 'hel' }));
    expect(err.body).toEqual({ code: 'contact_not_found', message: "Contact introuvable dans l'annuaire." });
  });
});

describe('search_contacts', () => {
  it('finds Hélène when typing "hel", by any field, and returns [] when nothing matches', async () => {
    const { client } = await t.user();
    await client.request('add_contact', helene);
    await client.request('add_contact', { nom: 'Martin', prenom: 'Paul', email: 'paul@exemple.com' });
    for (const query of ['hel', 'HÉL', 'dupre helene', 'helene dup', 'lumiere', 'lyon', '0612345678', '+33 6 12 34 56 78', 'salon']) {
      const { contacts, total } = await client.request('search_contacts', { query });
      expect(contacts.map((c) => c.nom), query).toEqual(['Dupré']);
      expect(total).toBe(1);
    }
    expect(await client.request('search_contacts', { query: 'zzz' })).toEqual({ contacts: [], total: 0 });
    expect((await client.request('search_contacts', { query: '' })).total).toBe(2);
  });

  it('treats FTS syntax in the query as plain text', async () => {
    const { client } = await t.user();
    await client.request('add_contact', helene);
    for (const query of ['"', 'NEAR(', 'hel*', 'nom:x', 'a OR b', '-', '^hel']) {
      await expect(client.request('search_contacts', { query }), query).resolves.toBeTruthy();
    }
  });
});

describe('identity comes from the session only', () => {
  it("never reads or writes another user's annuaire", async () => {
    const alice = await t.user('alice');
    const bob = await t.user('bob');
    const { contact } = await alice.client.request('add_contact', helene);
    const id = contact.id;
    for (const attempt of [
      bob.client.request('get_contact', { contact_id: id }),
      bob.client.request('update_contact', { contact_id: id, version: 1, nom: 'Pirate' }),
      bob.client.request('delete_contact', { contact_id: id }),
      bob.client.request('recherche_contact', { nom: 'Dupré', prenom: 'Hélène' }),
    ]) {
      await expect(attempt).rejects.toMatchObject({ code: 'contact_not_found' });
    }
    expect((await bob.client.request('search_contacts', { query: 'helene' })).total).toBe(0);
    expect((await bob.client.request('list_contacts')).total).toBe(0);
    // Naming a user is not a parameter anyone accepts.
    const named = await protocolError(bob.client.request('list_contacts', { username: 'alice' } as never));
    expect(named.body).toMatchObject({ code: 'invalid_params', field: 'username' });
    expect((await alice.client.request('get_contact', { contact_id: id })).contact).toEqual(contact);
  });

  it('refuses every non-public action before login with not_authenticated', async () => {
    const c = await t.client();
    const privateActions = ACTION_NAMES.filter((a) => !PUBLIC_ACTIONS.has(a));
    expect(privateActions.length).toBeGreaterThan(8);
    for (const action of privateActions) {
      const err = await protocolError(c.request(action as 'whoami'));
      expect(err.code, action).toBe('not_authenticated');
      expect(err.message).toBe('Veuillez vous connecter d’abord.');
    }
  });
});
