import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protocolError, startTestServer, type TestServer } from './helpers';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ quota: { maxContacts: 3, maxBytes: 6000 } });
});
afterAll(() => t.close());

const card = (i: number, extra = '') =>
  ['BEGIN:VCARD', 'VERSION:3.0', `N:Nom${i};Prenom${i};;;`, `FN:Prenom${i} Nom${i}`, ...(extra ? [`PHOTO;ENCODING=b;TYPE=JPEG:${extra}`] : []), 'END:VCARD', ''].join('\r\n');

describe('per-account quotas', () => {
  it('refuses the contact past the limit, says which limit, and stores nothing', async () => {
    const { client } = await t.user();
    for (let i = 0; i < 3; i++) await client.request('add_contact', { nom: `Nom${i}` });
    const err = await protocolError(client.request('add_contact', { nom: 'Nom3' }));
    expect(err.code).toBe('quota_exceeded');
    expect(err.body.quota).toEqual({ kind: 'contacts', limit: 3 });
    expect(err.body.message).toContain('3 contacts');
    expect((await client.request('list_contacts')).total).toBe(3);
    // Deleting frees a place.
    const { contacts } = await client.request('list_contacts');
    await client.request('delete_contact', { contact_id: contacts[0]!.id });
    await client.request('add_contact', { nom: 'Nom3' });
  });

  it('counts bytes, and lets an update shrink a contact but not grow it past the limit', async () => {
    const { client } = await t.user();
    const { contact } = await client.request('add_contact', { nom: 'Gros', notes: 'x'.repeat(5000) });
    const err = await protocolError(client.request('add_contact', { nom: 'Autre', notes: 'y'.repeat(2000) }));
    expect(err.body.quota).toEqual({ kind: 'bytes', limit: 6000 });
    const grow = await protocolError(
      client.request('update_contact', { contact_id: contact.id, version: contact.version, notes: 'x'.repeat(7000) }),
    );
    expect(grow.code).toBe('quota_exceeded');
    expect((await client.request('get_contact', { contact_id: contact.id })).contact.version).toBe(1);
    const shrunk = await client.request('update_contact', { contact_id: contact.id, version: 1, notes: 'court' });
    expect(shrunk.contact.notes).toBe('court');
    await client.request('add_contact', { nom: 'Autre', notes: 'y'.repeat(2000) });
  });

  it('rolls back a whole import that would pass the limit', async () => {
    const { client } = await t.user();
    await client.request('add_contact', { nom: 'Déjà' });
    const err = await protocolError(
      client.request('import_contacts', { format: 'vcard', data: [1, 2, 3].map((i) => card(i)).join('') }),
    );
    expect(err.code).toBe('quota_exceeded');
    expect((await client.request('list_contacts')).total).toBe(1);
    // Two fit.
    expect((await client.request('import_contacts', { format: 'vcard', data: [1, 2].map((i) => card(i)).join('') })).imported).toBe(2);
  });

  it('counts what an imported card carries beyond our fields, and gives its bytes back when the contact goes', async () => {
    const { client } = await t.user();
    // X- properties (and photos) are kept beside the contact, to be exported again.
    const big = card(1, 'QUFB'.repeat(900));
    await client.request('import_contacts', { format: 'vcard', data: big });
    const err = await protocolError(client.request('import_contacts', { format: 'vcard', data: card(2, 'QkJC'.repeat(900)) }));
    expect(err.body.quota?.kind).toBe('bytes');
    const { contacts } = await client.request('list_contacts');
    await client.request('delete_contact', { contact_id: contacts[0]!.id });
    expect((await client.request('import_contacts', { format: 'vcard', data: card(2, 'QkJC'.repeat(900)) })).imported).toBe(1);
  });

  it('keeps the counters right across a restart', async () => {
    const { client, username, password } = await t.user();
    for (let i = 0; i < 3; i++) await client.request('add_contact', { nom: `Nom${i}` });
    await t.restart();
    const again = await t.client();
    await again.request('login', { username, password });
    expect((await protocolError(again.request('add_contact', { nom: 'Nom3' }))).code).toBe('quota_exceeded');
  });
});
