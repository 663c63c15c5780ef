import { IMPORT_BATCH } from '../src/services/transfer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAll, exportFile, importFile, SINGLE_FRAME_IMPORT_BYTES } from '@annuaire/protocol';
import { parse } from 'csv-parse/sync';
import { protocolError, startTestServer, type TestServer } from './helpers';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const APPLE_CARD = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'PRODID:-//Apple Inc.//macOS 14.0//EN',
  'N:Dupré;Hélène;;;',
  'FN:Hélène Dupré',
  'ORG:Atelier Lumière;',
  'TITLE:Directrice',
  'EMAIL;type=INTERNET;type=WORK;type=pref:helene@atelier.fr',
  'EMAIL;type=INTERNET;type=HOME:helene@maison.fr',
  'TEL;type=CELL;type=VOICE;type=pref:06 12 34 56 78',
  'TEL;type=WORK;type=VOICE:+33 4 72 00 00 00',
  'item1.ADR;type=HOME;type=pref:;;12 rue des Lilas;Lyon;;69003;France',
  'BDAY:1985-04-12',
  'NOTE:Rencontrée au salon\\, en 2019',
  'X-CUSTOM-FIELD:kept verbatim',
  'END:VCARD',
  '',
].join('\r\n');

const V4_CARDS = [
  'BEGIN:VCARD',
  'VERSION:4.0',
  'FN:Paul Martin',
  'N:Martin;Paul;;;',
  'TEL;VALUE=uri;TYPE=home:tel:+33-1-23-45-67-89',
  'BDAY:--0704',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:4.0',
  'FN:Sans Nom Structuré',
  'EMAIL:pas-un-email',
  'END:VCARD',
  '',
].join('\r\n');

describe('import_contacts (vCard)', () => {
  it('imports an Apple/Google vCard 3.0 with every field mapped', async () => {
    const { client } = await t.user();
    const result = await client.request('import_contacts', { format: 'vcard', data: APPLE_CARD });
    expect(result).toEqual({ imported: 1, rejected: [], warnings: [], rejected_total: 0, warnings_total: 0, dry_run: false });
    const [helene] = (await client.request('recherche_contact', { nom: 'dupre', prenom: 'helene' })).contacts;
    expect(helene).toMatchObject({
      nom: 'Dupré',
      prenom: 'Hélène',
      email: 'helene@atelier.fr',
      emails: [
        { value: 'helene@atelier.fr', type: 'work' },
        { value: 'helene@maison.fr', type: 'home' },
      ],
      telephones: [
        { value: '06 12 34 56 78', type: 'mobile' },
        { value: '+33 4 72 00 00 00', type: 'work' },
      ],
      entreprise: 'Atelier Lumière',
      fonction: 'Directrice',
      adresse: { rue: '12 rue des Lilas', ville: 'Lyon', code_postal: '69003', pays: 'France' },
      anniversaire: '1985-04-12',
      notes: 'Rencontrée au salon, en 2019',
    });
  });

  it('imports a card with a bad value, leaving the value out with a warning naming card, field and value', async () => {
    const { client } = await t.user();
    const result = await client.request('import_contacts', { format: 'vcard', data: V4_CARDS });
    expect(result.imported).toBe(2);
    expect(result.rejected).toEqual([]);
    expect(result.warnings).toEqual([
      { position: 2, label: 'Sans Nom Structuré', field: 'emails.0', reason: 'email_invalid', message: 'Adresse e-mail invalide.', detail: 'pas-un-email' },
    ]);
    const { contacts } = await client.request('search_contacts', { query: 'martin' });
    expect(contacts[0]).toMatchObject({ telephone: '+33-1-23-45-67-89', anniversaire: '--07-04' });
  });

  it('adds nothing when a file is imported twice', async () => {
    const { client } = await t.user();
    await client.request('import_contacts', { format: 'vcard', data: APPLE_CARD });
    const again = await client.request('import_contacts', { format: 'vcard', data: APPLE_CARD });
    expect(again.imported).toBe(0);
    expect(again.rejected).toMatchObject([{ reason: 'duplicate', message: 'Déjà dans l’annuaire.' }]);
    expect((await client.request('list_contacts')).total).toBe(1);
  });

  it('writes nothing on a dry run', async () => {
    const { client } = await t.user();
    const dry = await client.request('import_contacts', { format: 'vcard', data: APPLE_CARD, dry_run: true });
    expect(dry).toEqual({ imported: 1, rejected: [], warnings: [], rejected_total: 0, warnings_total: 0, dry_run: true });
    expect((await client.request('list_contacts')).total).toBe(0);
  });

  it('says so when the text holds no vCard', async () => {
    const { client } = await t.user();
    const result = await client.request('import_contacts', { format: 'vcard', data: 'nom,prenom\nDupont,Jean\n' });
    expect(result).toMatchObject({ imported: 0, rejected: [{ field: 'data', reason: 'no_vcard' }] });
  });
});

describe('import_contacts (CSV)', () => {
  it('reads French spreadsheets (";" and accented headers) and Google exports', async () => {
    const { client } = await t.user();
    const french = '\uFEFFNom;Prénom;Courriel;Téléphone;Société;Ville;Date de naissance\r\nDupré;Hélène;helene@example.fr;06 12 34 56 78;Atelier;Lyon;12/04/1985\r\n';
    const google = 'Given Name,Family Name,E-mail 1 - Value,Phone 1 - Value,Organization 1 - Name,Unknown Column\nPaul,Martin,paul@example.com,+33 1 23 45 67 89,ACME,x\n';
    expect(await client.request('import_contacts', { format: 'csv', data: french })).toMatchObject({ imported: 1, rejected: [] });
    expect(await client.request('import_contacts', { format: 'csv', data: google })).toMatchObject({ imported: 1, rejected: [] });
    const { contacts } = await client.request('list_contacts');
    expect(contacts.map((c) => [c.nom, c.prenom, c.email, c.telephone, c.entreprise])).toEqual([
      ['Dupré', 'Hélène', 'helene@example.fr', '06 12 34 56 78', 'Atelier'],
      ['Martin', 'Paul', 'paul@example.com', '+33 1 23 45 67 89', 'ACME'],
    ]);
    expect(contacts[0]).toMatchObject({ adresse: { ville: 'Lyon' }, anniversaire: '1985-04-12' });
  });

  it('names the CSV line of each rejected row and of each value left out', async () => {
    const { client } = await t.user();
    const data = 'nom,prenom,email,notes\nBon,Contact,bon@example.fr,\n,SansNom,,\nMauvais,Mail,pas-un-email,\n,,,que des notes\n';
    const result = await client.request('import_contacts', { format: 'csv', data });
    expect(result.imported).toBe(3);
    expect(result.rejected.map((r) => [r.position, r.field, r.reason])).toEqual([[5, '', 'no_identity']]);
    expect(result.warnings.map((r) => [r.position, r.field, r.reason])).toEqual([[4, 'emails.0', 'email_invalid']]);
    const { contacts } = await client.request('list_contacts');
    expect(contacts.map((c) => [c.nom, c.prenom])).toEqual([['Bon', 'Contact'], ['Mauvais', 'Mail'], ['SansNom', '']]);
  });

  it('refuses an unknown format or a missing file with invalid_params', async () => {
    const { client } = await t.user();
    expect((await protocolError(client.request('import_contacts', { format: 'xls' as 'csv', data: 'x' }))).body.field).toBe('format');
    expect((await protocolError(client.request('import_contacts', { format: 'csv', data: '' }))).body.field).toBe('data');
  });
});

describe('export_contacts', () => {
  it('exports CSV that imports back to the same contacts', async () => {
    const a = await t.user();
    await a.client.request('import_contacts', { format: 'vcard', data: APPLE_CARD + V4_CARDS });
    await a.client.request('add_contact', { nom: 'Virgule, "Guillemets"', prenom: 'Ligne', notes: 'sur\ndeux lignes' });
    const csv = await a.client.request('export_contacts', { format: 'csv' });
    expect(csv).toMatchObject({ format: 'csv', count: 4, extension: 'csv' });

    const b = await t.user();
    expect(await b.client.request('import_contacts', { format: 'csv', data: csv.data })).toMatchObject({ imported: 4, rejected: [] });
    const strip = (list: { contacts: Record<string, unknown>[] }) =>
      list.contacts.map(({ nom, prenom, email, telephone, notes, anniversaire }) => ({ nom, prenom, email, telephone, notes, anniversaire }));
    expect(strip(await b.client.request('list_contacts'))).toEqual(strip(await a.client.request('list_contacts')));
  });

  it('exports imported cards with what no field holds, and edited ones from the new values', async () => {
    const { client } = await t.user();
    await client.request('import_contacts', { format: 'vcard', data: APPLE_CARD });
    const first = await client.request('export_contacts', { format: 'vcard' });
    expect(first).toMatchObject({ count: 1, extension: 'vcf' });
    expect(first.data).toContain('X-CUSTOM-FIELD:kept verbatim\r\n');
    expect(first.data).toContain('N:Dupré;Hélène;;;\r\n');
    expect(first.data).toMatch(/^UID:urn:uuid:[0-9a-f-]{36}\r$/m);

    const [helene] = (await client.request('list_contacts')).contacts;
    await client.request('update_contact', { contact_id: helene!.id, version: helene!.version, fonction: 'Gérante' });
    const after = await client.request('export_contacts', { format: 'vcard' });
    expect(after.data).toContain('TITLE:Gérante');
    expect(after.data).not.toContain('Directrice');
    expect(after.data).toContain('X-CUSTOM-FIELD:kept verbatim\r\n');
    // The same UID on every export of the same contact.
    expect(after.data.match(/^UID:.*$/m)?.[0]).toBe(first.data.match(/^UID:.*$/m)?.[0]);
    // What we write reads back as the same contact.
    const other = await t.user();
    expect(await other.client.request('import_contacts', { format: 'vcard', data: after.data })).toMatchObject({ imported: 1 });
    const [copy] = (await other.client.request('list_contacts')).contacts;
    const { id: _a, created_at: _b, updated_at: _c, version: _d, ...mine } = (await client.request('list_contacts')).contacts[0]!;
    expect(copy).toMatchObject(mine);
  });

  it('exports an empty annuaire as an empty file', async () => {
    const { client } = await t.user();
    expect(await client.request('export_contacts', { format: 'vcard' })).toMatchObject({ count: 0, data: '' });
  });
});

describe('large files', () => {
  it('exports page by page, each page bounded, and the pages make the whole file', async () => {
    const s = await startTestServer({ maxFrameBytes: 32 * 1024 * 1024 });
    try {
      const { client } = await s.user();
      const rows = ['nom,prenom,notes'];
      for (let i = 0; i < 2500; i++) rows.push(`Nom${String(i).padStart(4, '0')},Prénom${i},${'n'.repeat(i % 10 === 0 ? 10_000 : 10)}`);
      expect((await client.request('import_contacts', { format: 'csv', data: rows.join('\n') })).imported).toBe(2500);
      const first = await client.request('export_contacts', { format: 'csv' });
      expect(first).toMatchObject({ total: 2500, next_cursor: expect.any(String) });
      expect(first.data.length).toBeLessThan(600 * 1024);
      const pages: number[] = [];
      const csv = await exportFile(client, { format: 'csv' }, (_, p) => void pages.push(p.done));
      expect(csv).toBe(2500);
      expect(pages.length).toBeGreaterThan(2);
      const { data } = await exportAll(client, { format: 'csv' });
      const records = parse(data) as string[][];
      expect(records).toHaveLength(2501);
      expect(records.filter((r) => r[0] === 'First Name')).toHaveLength(1);
      expect(new Set(records.slice(1).map((r) => r[1])).size).toBe(2500);
      const vcf = await exportAll(client, { format: 'vcard' });
      expect(vcf.count).toBe(2500);
      expect(vcf.data.match(/^BEGIN:VCARD\r$/gm)).toHaveLength(2500);
      expect((await client.request('ping')).pong).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('imports a file sent in pieces, reporting progress as events', async () => {
    const { client } = await t.user();
    const cards: string[] = [];
    for (let i = 0; i < 1500; i++) cards.push(`BEGIN:VCARD\r\nVERSION:3.0\r\nN:Nom${i};Prénom;;;\r\nNOTE:${'é'.repeat(500)}\r\nEND:VCARD\r\n`);
    const bytes = Buffer.from(cards.join(''));
    expect(bytes.length).toBeGreaterThan(SINGLE_FRAME_IMPORT_BYTES);
    const seen: { phase: string; done: number; imported: number }[] = [];
    const result = await importFile(client, 'vcard', bytes, bytes.length, { onProgress: (p) => void seen.push(p) });
    expect(result).toMatchObject({ imported: 1500, rejected: [], rejected_total: 0 });
    const importing = seen.filter((p) => p.phase === 'importing');
    expect(seen.filter((p) => p.phase === 'sending').length).toBeGreaterThan(1);
    expect(importing.length).toBeGreaterThanOrEqual(3);
    expect(importing.at(-1)).toMatchObject({ done: bytes.length, imported: 1500 });
    expect(importing.map((p) => p.imported)).toEqual([...importing.map((p) => p.imported)].sort((a, b) => a - b));
    expect((await client.request('list_contacts')).total).toBe(1500);
  });

  it('stops at the quota with quota_exceeded, each batch all or nothing (issue 8 item 17)', async () => {
    const s = await startTestServer({ quota: { maxContacts: 1200, maxBytes: 1024 ** 3 } });
    try {
      const { client } = await s.user();
      const rows = ['nom'];
      for (let i = 0; i < 2000; i++) rows.push(`Nom${i}`);
      const err = await protocolError(client.request('import_contacts', { format: 'csv', data: rows.join('\n') }));
      expect(err.code).toBe('quota_exceeded');
      // Batches (sized to take about 20 ms each, at most 500) went in whole up to the quota;
      // the one that would pass it, not at all.
      const { total } = await client.request('list_contacts');
      expect(total).toBeLessThanOrEqual(1200);
      expect(total).toBeGreaterThan(1200 - IMPORT_BATCH);
    } finally {
      await s.close();
    }
  });

  it('refuses a piece of an upload it did not begin, or another user\'s', async () => {
    const a = await t.user();
    const b = await t.user();
    const { upload_id } = await a.client.request('import_begin', { format: 'csv' });
    const err = await protocolError(b.client.request('import_chunk', { upload_id, bytes: 'eA==' }));
    expect(err.body).toMatchObject({ code: 'invalid_params', field: 'upload_id' });
    await a.client.request('import_chunk', { upload_id, bytes: Buffer.from('nom\nSeul\n').toString('base64') });
    expect(await a.client.request('import_end', { upload_id })).toMatchObject({ imported: 1 });
    expect((await protocolError(a.client.request('import_end', { upload_id }))).body.field).toBe('upload_id');
  });

  it('keeps answering other clients while it imports a 1 MiB CSV of 105k tiny rows (issue 8 item 7)', async () => {
    // One frame of 1 MiB of CSV (and its JSON escapes) needs a frame limit above the default.
    const s = await startTestServer({ maxFrameBytes: 4 * 1024 * 1024, quota: { maxContacts: 200_000, maxBytes: 1024 ** 3 } });
    const { client } = await s.user();
    const other = await s.user();
    const rows = ['nom'];
    for (let i = 0, size = 3; size < 1024 * 1024 - 20; i++) {
      rows.push(`N${i.toString(36)}`);
      size += rows.at(-1)!.length + 1;
    }
    const data = rows.join('\n');
    expect(rows.length).toBeGreaterThan(100_000);
    const order: string[] = [];
    const importing = client.request('import_contacts', { format: 'csv', data }).then((r) => {
      order.push('import');
      return r;
    });
    // Wait until the import is under way (its first batch reported), then ask the other client.
    await new Promise<void>((resolve) => client.on('event', (e) => e.event === 'import_progress' && resolve()));
    await other.client.request('ping');
    order.push('ping');
    expect((await importing).imported).toBe(rows.length - 1);
    expect(order).toEqual(['ping', 'import']);
    await s.close();
    // What is tested is that others are answered meanwhile; how fast the import goes is pnpm bench's
    // row. It takes 65 s alone on SQLite here, 140 s on PostgreSQL, more beside the rest of the suite.
  }, 420_000);
});
