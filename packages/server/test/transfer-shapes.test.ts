import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protocolError, startTestServer, type TestServer } from './helpers';

/**
 * Each shape of real files that issue 10 found refused or garbled, as a fixture of our own
 * written byte for byte (BOMs, CR CR LF, QP soft breaks, UTF-16, Windows-1252, Shift_JIS).
 */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const crlf = (...lines: string[]) => lines.join('\r\n') + '\r\n';

async function importBytes(bytes: Buffer, format: 'vcard' | 'csv' = 'vcard', charset?: string) {
  const { client } = await t.user();
  const result = await client.request('import_contacts', { format, bytes: bytes.toString('base64'), ...(charset ? { charset } : {}) });
  const { contacts } = await client.request('list_contacts', { limit: 500 });
  return { client, result, contacts };
}

describe('vCard 2.1 and real-world vCards', () => {
  it('reads bare 2.1 parameters (TEL;CELL, EMAIL;INTERNET)', async () => {
    const { result, contacts } = await importBytes(
      Buffer.from(crlf('BEGIN:VCARD', 'VERSION:2.1', 'N:Doe;John', 'TEL;CELL;PREF:06 12 34 56 78', 'TEL;WORK;VOICE:01 23 45 67 89', 'EMAIL;INTERNET;WORK:john@example.com', 'END:VCARD')),
    );
    expect(result).toMatchObject({ imported: 1, rejected: [], warnings: [] });
    expect(contacts[0]).toMatchObject({
      nom: 'Doe',
      prenom: 'John',
      telephones: [{ value: '06 12 34 56 78', type: 'mobile' }, { value: '01 23 45 67 89', type: 'work' }],
      emails: [{ value: 'john@example.com', type: 'work' }],
    });
  });

  it("keeps Apple's PHOTO;BASE64 card, and its photo on export", async () => {
    const photo = Buffer.alloc(300, 7).toString('base64');
    const folded = photo.match(/.{1,74}/g)!.map((l, i) => (i === 0 ? `PHOTO;BASE64:${l}` : ` ${l}`));
    const { client, result } = await importBytes(Buffer.from(crlf('BEGIN:VCARD', 'VERSION:3.0', 'N:Martin;Paul;;;', ...folded, 'END:VCARD')));
    expect(result).toMatchObject({ imported: 1, rejected: [] });
    const v3 = (await client.request('export_contacts', { format: 'vcard' })).data;
    expect(v3.replace(/\r\n /g, '')).toContain(`PHOTO;ENCODING=b:${photo}\r\n`);
    const v4 = (await client.request('export_contacts', { format: 'vcard', version: '4.0' })).data;
    expect(v4.replace(/\r\n /g, '')).toContain(`PHOTO:data:image/jpeg;base64,${photo}\r\n`);
  });

  it('decodes QUOTED-PRINTABLE with soft line breaks in its CHARSET', async () => {
    const bytes = Buffer.from(
      crlf(
        'BEGIN:VCARD',
        'VERSION:2.1',
        'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Dupr=C3=A9;H=C3=A9l=C3=A8ne',
        'NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:Premi=E8re ligne=0D=0A=',
        'seconde ligne, apr=E8s une coupure douce',
        'END:VCARD',
      ),
    );
    const { result, contacts } = await importBytes(bytes);
    expect(result).toMatchObject({ imported: 1, rejected: [], warnings: [] });
    expect(contacts[0]).toMatchObject({ nom: 'Dupré', prenom: 'Hélène', notes: 'Première ligne\nseconde ligne, après une coupure douce' });
  });

  it('reads a card after a UTF-8 byte-order mark', async () => {
    const { result, contacts } = await importBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf('BEGIN:VCARD', 'VERSION:3.0', 'FN:Βαγγέλης', 'N:Παπαθανασίου;Ευάγγελος;;;', 'END:VCARD'))]));
    expect(result).toMatchObject({ imported: 1, rejected: [] });
    expect(contacts[0]).toMatchObject({ nom: 'Παπαθανασίου', prenom: 'Ευάγγελος' });
  });

  it('names the cause of a card it cannot read at all, and the field of a line it leaves out', async () => {
    const { result } = await importBytes(Buffer.from(crlf('BEGIN:VCARD', 'VERSION:3.0', 'N:Doe;John;;;', 'BDAY;VALUE=date-and-or-time:1985-13-45T99', 'just junk', 'END:VCARD')));
    expect(result.imported).toBe(1);
    expect(result.warnings.map((w) => [w.field, w.reason])).toEqual(expect.arrayContaining([['just junk', 'unreadable_line']]));
    for (const w of result.warnings) expect(w.message).not.toBe('');
  });

  it('keeps the card when one optional value is bad, and keeps every way a number is written', async () => {
    const bytes = Buffer.from(
      crlf(
        'BEGIN:VCARD',
        'VERSION:4.0',
        'FN:Simon Perreault',
        'N:Perreault;Simon;;;',
        'TEL:(650) 555-1212',
        'TEL;VALUE=uri;TYPE=work:tel:+1-418-656-9254;ext=102',
        'TEL:+49 MOBIL',
        'BDAY:1990-02-31',
        'EMAIL:contact1@invalid',
        'EMAIL:simon@example.com',
        'END:VCARD',
      ),
    );
    const { client, result, contacts } = await importBytes(bytes);
    expect(result).toMatchObject({ imported: 1, rejected: [] });
    expect(result.warnings.map((w) => [w.field, w.reason, w.detail])).toEqual([
      ['emails.0', 'email_invalid', 'contact1@invalid'],
      ['telephones.2', 'phone_invalid', '+49 MOBIL'],
      ['anniversaire', 'birthday_impossible', '1990-02-31'],
    ]);
    expect(contacts[0]).toMatchObject({
      telephones: [{ value: '(650) 555-1212' }, { value: '+1-418-656-9254;ext=102', type: 'work' }],
      emails: [{ value: 'simon@example.com' }],
      anniversaire: null,
    });
    // What no field could take is still the card's: the vCard export gives it back.
    const { data } = await client.request('export_contacts', { format: 'vcard' });
    expect(data).toContain('\r\nTEL:+49 MOBIL\r\n');
    expect(data).toContain('\r\nEMAIL:contact1@invalid\r\n');
  });

  it('reads month-day birthdays (--04-12, --0412, 02-10) and keeps them partial', async () => {
    const card = (n: string, bday: string) => ['BEGIN:VCARD', 'VERSION:3.0', `N:${n};;;;`, `BDAY:${bday}`, 'END:VCARD'];
    const { contacts } = await importBytes(Buffer.from(crlf(...card('A', '--04-12'), ...card('B', '--0412'), ...card('C', '02-10'))));
    expect(contacts.map((c) => c.anniversaire)).toEqual(['--04-12', '--04-12', '--02-10']);
  });

  it('names a contact without N by FN, ORG, NICKNAME, then e-mail or phone, and refuses only a card naming nobody', async () => {
    const cards = [
      ['N:Dupont'],
      ['FN:Jean Martin'],
      ['N:;;;;', 'FN:Apple Computer AG', 'ORG:Apple Computer AG;'],
      ['ORG:ACME'],
      ['NICKNAME:Johnny'],
      ['EMAIL:seul@example.com'],
      ['TEL:+33 6 12 34 56 78'],
      ['NOTE:personne'],
    ].flatMap((lines) => ['BEGIN:VCARD', 'VERSION:3.0', ...lines, 'END:VCARD']);
    const { result, contacts } = await importBytes(Buffer.from(crlf(...cards)));
    expect(result.imported).toBe(7);
    expect(result.rejected.map((r) => [r.position, r.reason])).toEqual([[8, 'no_identity']]);
    expect(contacts.map((c) => [c.nom, c.prenom]).sort()).toEqual(
      [['Dupont', ''], ['Jean Martin', ''], ['Apple Computer AG', ''], ['ACME', ''], ['Johnny', ''], ['seul@example.com', ''], ['+33 6 12 34 56 78', '']].sort(),
    );
    expect(contacts.find((c) => c.nom === 'Apple Computer AG')).toMatchObject({ entreprise: 'Apple Computer AG' });
  });

  it('reads CR CR LF files without losing groups, names or dates', async () => {
    const text = ['BEGIN:VCARD', 'VERSION:3.0', 'N:Smith;Bob;;;', 'FN:Bob Smith', 'item1.EMAIL;type=INTERNET;type=pref:bob@smithauto.com', 'item1.X-ABLabel:_$!<Other>!$_', 'BDAY;value=date:2012-06-06', 'END:VCARD', ''].join('\r\r\n');
    const { contacts } = await importBytes(Buffer.from(text));
    expect(contacts[0]).toMatchObject({ nom: 'Smith', prenom: 'Bob', email: 'bob@smithauto.com', anniversaire: '2012-06-06' });
  });

  it('keeps the outer card of a nested AGENT card, and says the inner one was left out', async () => {
    const { result, contacts } = await importBytes(
      Buffer.from(crlf('BEGIN:VCARD', 'VERSION:2.1', 'N:parent', 'AGENT:', 'BEGIN:VCARD', 'VERSION:2.1', 'N:nest1', 'END:VCARD', 'TEL:0123456789', 'END:VCARD')),
    );
    expect(result).toMatchObject({ imported: 1, rejected: [] });
    expect(result.warnings).toMatchObject([{ position: 1, field: 'AGENT', reason: 'nested_card' }]);
    expect(contacts.map((c) => [c.nom, c.telephone])).toEqual([['parent', '0123456789']]);
  });

  it('puts a company card (N:;;;;) in nom whole, not split like a person', async () => {
    const { contacts } = await importBytes(Buffer.from(crlf('BEGIN:VCARD', 'VERSION:3.0', 'N:;;;;', 'FN:Apple Computer AG', 'ORG:Apple Computer AG;', 'X-ABShowAs:COMPANY', 'END:VCARD')));
    expect(contacts[0]).toMatchObject({ nom: 'Apple Computer AG', prenom: '' });
  });
});

describe('encodings: the bytes of a file arrive as the right characters', () => {
  const card = crlf('BEGIN:VCARD', 'VERSION:3.0', 'N:Nüßlebaum;Sören;;;', 'FN:Sören Nüßlebaum', 'NOTE:Ça coûte 5 €', 'END:VCARD');
  const expected = { nom: 'Nüßlebaum', prenom: 'Sören', notes: 'Ça coûte 5 €' };
  const bom16le = Buffer.from([0xff, 0xfe]);
  const bom16be = Buffer.from([0xfe, 0xff]);
  it.each([
    ['UTF-8', Buffer.from(card)],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(card)])],
    ['UTF-16 LE with BOM', Buffer.concat([bom16le, iconv.encode(card, 'utf-16le')])],
    ['UTF-16 BE with BOM', Buffer.concat([bom16be, iconv.encode(card, 'utf-16be')])],
    ['UTF-16 LE without BOM', iconv.encode(card, 'utf-16le')],
    ['UTF-16 BE without BOM', iconv.encode(card, 'utf-16be')],
    ['Windows-1252', iconv.encode(card, 'windows-1252')],
  ])('%s', async (_, bytes) => {
    const { contacts } = await importBytes(bytes);
    expect(contacts[0]).toMatchObject(expected);
  });

  it('Shift_JIS, raw 2.1 values with CHARSET=SHIFT_JIS and a CSV', async () => {
    const vcf = Buffer.concat([
      Buffer.from('BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS:'),
      iconv.encode('安藤;ロイド', 'shift_jis'),
      Buffer.from('\r\nEND:VCARD\r\n'),
    ]);
    expect((await importBytes(vcf)).contacts[0]).toMatchObject({ nom: '安藤', prenom: 'ロイド' });
    const csv = iconv.encode('First Name,Last Name,Primary Email\r\n権兵衛,名無し,gonbe@example.jp\r\n', 'shift_jis');
    expect((await importBytes(csv, 'csv', 'shift_jis')).contacts[0]).toMatchObject({ nom: '名無し', prenom: '権兵衛' });
  });

  it('a Windows-1252 French spreadsheet with ";" and no charset given', async () => {
    const csv = iconv.encode('Nom;Prénom;Société;Notes\r\nDupré;Hélène;Dupont, Fils et Cie;Café à 2 €\r\n', 'windows-1252');
    const { contacts } = await importBytes(csv, 'csv');
    expect(contacts[0]).toMatchObject({ nom: 'Dupré', prenom: 'Hélène', entreprise: 'Dupont, Fils et Cie', notes: 'Café à 2 €' });
  });

  it('refuses both data and bytes, or neither, as invalid_params', async () => {
    const { client } = await t.user();
    const both = await protocolError(client.request('import_contacts', { format: 'csv', data: 'x', bytes: 'eA==' }));
    expect(both.body).toMatchObject({ code: 'invalid_params', field: 'data' });
    expect((await protocolError(client.request('import_contacts', { format: 'csv', bytes: '%%%' }))).body.field).toBe('bytes');
  });
});

describe('CSV from spreadsheets, Google, Outlook and Thunderbird', () => {
  it("reads Thunderbird's Primary Email and Mobile Number, Google's Organization Name and ::: values", async () => {
    const thunderbird = 'First Name,Last Name,Display Name,Primary Email,Secondary Email,Mobile Number,Work Phone,Organization\r\nJohn,Doe,John Doe,john@doe.com,jd@work.com,06 12 34 56 78,01 23 45 67 89,ACME\r\n';
    const { contacts } = await importBytes(Buffer.from(thunderbird), 'csv');
    expect(contacts[0]).toMatchObject({
      emails: [{ value: 'john@doe.com' }, { value: 'jd@work.com' }],
      telephones: [{ value: '06 12 34 56 78', type: 'mobile' }, { value: '01 23 45 67 89', type: 'work' }],
      entreprise: 'ACME',
    });
    const google = 'Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Organization Name\r\nAnn Lee,Ann,Lee,* Work,ann@a.com ::: ann@b.com,Mobile,+1 202-555-0191 ::: +1 202-555-0192,Initech\r\n';
    const g = (await importBytes(Buffer.from(google), 'csv')).contacts[0];
    expect(g).toMatchObject({ emails: [{ value: 'ann@a.com', type: 'work' }, { value: 'ann@b.com', type: 'work' }], entreprise: 'Initech' });
    expect(g!.telephones.map((p) => p.type)).toEqual(['mobile', 'mobile']);
  });

  it('reads Outlook headers in French and German, and says which columns it could not take', async () => {
    const fr = 'Prénom;Nom;Adresse de messagerie;Téléphone mobile;Société;Rue (domicile);Ville (domicile);Code postal (domicile);Pays/Région (domicile);Catégories\r\nJean;Dupont;jean@dupont.fr;06 11 22 33 44;Dupont SA;1 rue de la Paix;Paris;75001;France;Amis\r\n';
    const { result, contacts } = await importBytes(Buffer.from(fr), 'csv');
    expect(contacts[0]).toMatchObject({ nom: 'Dupont', prenom: 'Jean', email: 'jean@dupont.fr', telephone: '06 11 22 33 44', adresse: { rue: '1 rue de la Paix', ville: 'Paris', code_postal: '75001', pays: 'France' } });
    expect(result.warnings).toMatchObject([{ position: 1, field: 'Catégories', reason: 'unknown_column' }]);
    const de = '"Vorname","Nachname","Firma","E-Mail-Adresse","E-Mail-Typ","Mobiltelefon","Telefon geschäftlich","Straße privat","Ort privat","Postleitzahl privat","Geburtstag"\r\n"Max","Müller","Metaways","max@metaways.de","SMTP","0171 1234567","040 12345","Hauptstraße 1","Hamburg","20095","1.2.1980"\r\n';
    const d = (await importBytes(Buffer.from(de), 'csv')).contacts[0];
    expect(d).toMatchObject({ nom: 'Müller', prenom: 'Max', entreprise: 'Metaways', emails: [{ value: 'max@metaways.de' }], anniversaire: '1980-02-01', adresse: { rue: 'Hauptstraße 1', ville: 'Hamburg' } });
    expect(d!.telephones).toEqual([{ value: '0171 1234567', type: 'mobile' }, { value: '040 12345', type: 'work' }]);
  });

  it('splits on one separator only: "," in a ";" file and ";" in a "," file stay inside their value', async () => {
    const semi = 'Nom;Prénom;Société\r\nDupont;Jean;Dupont, Fils et Cie\r\n';
    expect((await importBytes(Buffer.from(semi), 'csv')).contacts[0]).toMatchObject({ entreprise: 'Dupont, Fils et Cie' });
    const comma = 'nom,prenom,notes\r\nMartin,Paul,call; later\r\n';
    expect((await importBytes(Buffer.from(comma), 'csv')).contacts[0]).toMatchObject({ notes: 'call; later' });
  });

  it('imports an e-mail-only row', async () => {
    const { contacts } = await importBytes(Buffer.from('E-mail Address,E-mail 2 Address\r\ntest1@domain.tld,test2@domain.tld\r\n'), 'csv');
    expect(contacts[0]).toMatchObject({ nom: 'test1@domain.tld', emails: [{ value: 'test1@domain.tld' }, { value: 'test2@domain.tld' }] });
  });
});

describe('control characters (issue 8 item 8)', () => {
  it('takes them out of imported values with a warning naming the field, and keeps the rest', async () => {
    const esc = '\u001b[31m\u0007';
    const card = crlf('BEGIN:VCARD', 'VERSION:3.0', `N:Dupont${esc};Jean;;;`, `ORG:ACME\u009b31m`, 'NOTE:ligne 1\\nligne 2\u0000', 'END:VCARD');
    const { result, contacts } = await importBytes(Buffer.from(card));
    expect(result).toMatchObject({ imported: 1, rejected: [] });
    expect(result.warnings.map((w) => [w.field, w.reason])).toEqual([
      ['nom', 'control_characters_stripped'],
      ['entreprise', 'control_characters_stripped'],
      ['notes', 'control_characters_stripped'],
    ]);
    for (const w of result.warnings) expect(w.detail).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(contacts[0]).toMatchObject({ nom: 'Dupont[31m', entreprise: 'ACME31m', notes: 'ligne 1\nligne 2' });
  });

  it('exports no control character from what an imported card carries beyond our fields', async () => {
    const card = crlf('BEGIN:VCARD', 'VERSION:2.1', 'N:Doe;John', 'FBURL;ENCODING=QUOTED-PRINTABLE:a=0Cb=1B[2Jc', 'END:VCARD');
    const { client } = await importBytes(Buffer.from(card));
    const { data } = await client.request('export_contacts', { format: 'vcard' });
    expect(data).toContain('FBURL:ab[2Jc\r\n');
    expect(data).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
  });
});
