import { describe, expect, it } from 'vitest';
import type { AnnuaireClient } from '@annuaire/protocol';
import { KEY, renderApp, renderLoggedIn, sideClient, closeAfterEach, serverForFile, uniqueUser } from '../helpers';

const server = serverForFile();

let app: Awaited<ReturnType<typeof renderApp>> | undefined;
let side: AnnuaireClient | undefined;
closeAfterEach(() => [app, side], () => (app = side = undefined));

/** A user with some contacts (added behind the TUI's back), logged in, on the home menu. */
async function loggedIn(contacts: { nom: string; prenom?: string; email?: string; telephone?: string }[] = []) {
  const name = uniqueUser('c');
  side = await sideClient(server.port, name);
  for (const c of contacts) await side.request('add_contact', c);
  app = await renderLoggedIn(server.port, name);
  return app;
}

describe('my contacts', () => {
  it('lists contacts sorted by nom then prénom, with a detail pane', async () => {
    const ui = await loggedIn([
      { nom: 'Martin', prenom: 'Zoé' },
      { nom: 'Dupré', prenom: 'Hélène', email: 'helene@example.com', telephone: '06 12 34 56 78' },
      { nom: 'Martin', prenom: 'Alice' },
      { nom: 'Abel', prenom: 'Jean' },
    ]);
    ui.press('2');
    const frame = await ui.waitFor('4 contact(s)');
    const order = ['Abel', 'Dupré', 'Martin Alice', 'Martin Zoé'].map((n) => frame.indexOf(n));
    expect(order.every((pos) => pos >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The detail pane shows the selected (first) contact; moving down shows the next.
    expect(frame).toMatch(/│ ?Abel Jean/);
    ui.press(KEY.down);
    const next = await ui.waitFor('06 12 34 56 78');
    expect(next).toMatch(/│ ?Dupré Hélène/);
  });

  it('the detail pane shows address, website and notes whole when there is room, notes on their own lines', async () => {
    const ui = await loggedIn([]);
    await side!.request('add_contact', {
      nom: 'Dupré',
      prenom: 'Hélène',
      adresse: { rue: '12 rue des Lilas, bâtiment B, escalier 3', code_postal: '75011', ville: 'Paris', region: null, pays: 'France' },
      site_web: 'https://www.example.org/equipe/helene-dupre',
      notes: 'Rencontrée au salon de Lyon en 2019.\nAime le jazz.\nPréfère être appelée le matin.',
    });
    ui.press('2');
    const frame = await ui.waitFor('Aime le jazz.');
    // The pane's lines: what lies between its borders.
    const rows = frame
      .split('\n')
      .filter((l) => l.includes('│'))
      .map((l) => l.slice(l.indexOf('│') + 1, l.lastIndexOf('│')).trim());
    const pane = rows.join(' ');
    expect(frame).not.toContain('…');
    expect(pane).toContain('12 rue des Lilas, bâtiment B, escalier 3, 75011 Paris, France');
    expect(rows.join('')).toContain('https://www.example.org/equipe/helene-dupre');
    expect(rows).toContain('Aime le jazz.');
    expect(rows).toContain('Préfère être appelée le matin.');
  });

  it('filters as you type; the newest query wins', async () => {
    const ui = await loggedIn([
      { nom: 'Dupré', prenom: 'Hélène', email: 'helene@example.com' },
      { nom: 'Durand', prenom: 'Paul' },
      { nom: 'Helmut', prenom: 'Karl' },
    ]);
    ui.press('2');
    await ui.waitFor('3 contact(s)');
    ui.type('h');
    ui.type('e');
    ui.type('l');
    ui.type('e');
    ui.type('n');
    ui.type('e');
    const frame = await ui.waitFor('1 résultat(s) pour « helene »');
    expect(frame).toContain('Dupré');
    expect(frame).not.toContain('Helmut');
    expect(frame).not.toContain('Durand');
    // Backspace widens the filter again; Esc clears it.
    ui.press(KEY.esc);
    await ui.waitFor('3 contact(s)');
  });

  it('adds a contact from the list with Ctrl+N and comes back to the list', async () => {
    const ui = await loggedIn([{ nom: 'Abel', prenom: 'Jean' }]);
    ui.press('2');
    await ui.waitFor('1 contact(s)');
    ui.press(KEY.ctrlN);
    await ui.waitFor('Nouveau contact');
    ui.type('Dupré\tHélène\thelene@example.com\t\t06 12 34 56 78');
    ui.press(KEY.ctrlS);
    const frame = await ui.waitFor('2 contact(s)');
    expect(frame).toContain('Contact ajouté.');
    expect(frame).toContain('Dupré');
  });

  it('refuses an invalid email next to the field and keeps everything typed', async () => {
    const ui = await loggedIn();
    ui.press('3');
    await ui.waitFor('Nouveau contact');
    ui.type('Dupré\tHélène\tpas-un-email');
    ui.press(KEY.ctrlS);
    const frame = await ui.waitFor('Adresse email invalide');
    expect(frame.split('\n').find((l) => l.includes('Adresse email invalide'))).toContain('pas-un-email');
    expect(frame).toContain('Hélène');
  });

  it('edits the selected contact with Enter', async () => {
    const ui = await loggedIn([{ nom: 'Dupré', prenom: 'Hélène' }]);
    ui.press('2');
    await ui.waitFor('1 contact(s)');
    ui.press(KEY.enter);
    await ui.waitFor('Modifier le contact');
    ui.press(KEY.tab, KEY.tab);
    ui.type('helene.dupre@example.com');
    ui.press(KEY.ctrlS);
    await ui.waitFor('Contact enregistré.');
    await ui.waitFor('helene.dupre@example.com');
    const stored = await side!.request('list_contacts', {});
    expect(stored.contacts[0]?.email).toBe('helene.dupre@example.com');
  });

  it('deletes after confirmation only', async () => {
    const ui = await loggedIn([{ nom: 'Abel' }, { nom: 'Dupré', prenom: 'Hélène' }]);
    ui.press('2');
    await ui.waitFor('2 contact(s)');
    ui.press(KEY.down);
    ui.press(KEY.ctrlD);
    await ui.waitFor('Supprimer « Dupré Hélène » ?');
    ui.press('n');
    await ui.waitFor((f) => !f.includes('Supprimer «'));
    expect((await side!.request('list_contacts', {})).total).toBe(2);
    ui.press(KEY.ctrlD);
    await ui.waitFor('Supprimer « Dupré Hélène » ?');
    ui.press('o');
    const frame = await ui.waitFor('1 contact(s)');
    expect(frame).not.toContain('Dupré');
    expect((await side!.request('list_contacts', {})).total).toBe(1);
  });

  it('on a version conflict shows what changed and can keep mine', async () => {
    const ui = await loggedIn([{ nom: 'Dupré', prenom: 'Hélène', telephone: '0102030405' }]);
    const [contact] = (await side!.request('list_contacts', {})).contacts;
    ui.press('2');
    await ui.waitFor('1 contact(s)');
    ui.press(KEY.enter);
    await ui.waitFor('Modifier le contact');
    // Someone else changes the phone while we edit the email: the dialog comes with the live
    // change (the form holds edits) or with the save's version_conflict, whichever is first.
    ui.press(KEY.tab, KEY.tab);
    ui.type('h@example.com');
    await ui.waitFor('h@example.com');
    await side!.request('update_contact', { contact_id: contact!.id, version: contact!.version, telephone: '0999999999' });
    ui.press(KEY.ctrlS);
    const frame = await ui.waitFor('a changé sur le serveur');
    expect(frame).toMatch(/Téléphone : « 0102030405 » → « 0999999999 »/);
    ui.press('1');
    await ui.waitFor('Contact enregistré.');
    const [saved] = (await side!.request('list_contacts', {})).contacts;
    expect(saved?.email).toBe('h@example.com');
    expect(saved?.telephone).toBe('0999999999');
  });

  it('Ctrl+R reloads the list and the detail pane with what changed in another terminal', async () => {
    const ui = await loggedIn([
      { nom: 'Abel', prenom: 'Jean', telephone: '0102030405' },
      { nom: 'Dupré', prenom: 'Hélène' },
    ]);
    const [abel] = (await side!.request('list_contacts', {})).contacts;
    ui.press('2');
    await ui.waitFor((f) => f.includes('2 contact(s)') && f.includes('0102030405'));
    await side!.request('update_contact', { contact_id: abel!.id, version: abel!.version, prenom: 'Jeanne', telephone: '0999999999' });
    await side!.request('add_contact', { nom: 'Zola', prenom: 'Émile' });
    ui.press('\u0012');
    const frame = await ui.waitFor((f) => f.includes('3 contact(s)') && f.includes('0999999999'));
    expect(frame).toContain('Abel Jeanne');
    expect(frame).toContain('Zola Émile');
  });

  it('saving a contact deleted elsewhere offers to add it again from the form', async () => {
    const ui = await loggedIn([{ nom: 'Dupré', prenom: 'Hélène', email: 'helene@example.com' }]);
    const [contact] = (await side!.request('list_contacts', {})).contacts;
    ui.press('2');
    await ui.waitFor('1 contact(s)');
    ui.press(KEY.enter);
    await ui.waitFor('Modifier le contact');
    ui.press(KEY.tab, KEY.tab, KEY.ctrlU);
    ui.type('h2@example.com');
    await ui.waitFor('h2@example.com');
    // Deleted elsewhere while the form holds edits: told live, or by the save's contact_not_found.
    await side!.request('delete_contact', { contact_id: contact!.id });
    ui.press(KEY.ctrlS);
    await ui.waitFor('Ce contact a été supprimé sur le serveur. Le recréer avec le contenu du formulaire ?');
    ui.type('o');
    await ui.waitFor('Contact recréé.');
    const { contacts } = await side!.request('list_contacts', {});
    expect(contacts.map((c) => [c.nom, c.prenom, c.email])).toEqual([['Dupré', 'Hélène', 'h2@example.com']]);
  });

  it('warns before adding a second « Dupré Hélène », or a contact with an email or phone already there, and lets the user go on', async () => {
    const ui = await loggedIn([
      { nom: 'Dupré', prenom: 'Hélène' },
      { nom: 'Martin', prenom: 'Paul', email: 'paul@example.com', telephone: '06 12 34 56 78' },
    ]);
    ui.press('3');
    await ui.waitFor('Nouveau contact');
    ui.type('dupre\thelene');
    ui.press(KEY.ctrlS);
    await ui.waitFor(/Ce contact ressemble à un contact déjà là : Dupré Hélène \(même nom et prénom\)\. L’ajouter[\s│]+quand même ?/);
    ui.type('n');
    await ui.waitFor((f) => !f.includes('ressemble'));
    expect((await side!.request('list_contacts', {})).total).toBe(2);
    // Another name, but Paul's phone written the other way.
    ui.press(KEY.ctrlU, KEY.shiftTab, KEY.ctrlU);
    ui.type('Durand\tPaul\t\t+33 6 12 34 56 78');
    ui.press(KEY.ctrlS);
    await ui.waitFor('Martin Paul (même téléphone)');
    ui.type('o');
    await ui.waitFor('Contact ajouté.');
    expect((await side!.request('list_contacts', {})).total).toBe(3);
  });

  it("on a version conflict can take the server's version instead", async () => {
    const ui = await loggedIn([{ nom: 'Dupré', prenom: 'Hélène' }]);
    const [contact] = (await side!.request('list_contacts', {})).contacts;
    ui.press('2');
    await ui.waitFor('1 contact(s)');
    ui.press(KEY.enter);
    await ui.waitFor('Modifier le contact');
    ui.press(KEY.tab);
    ui.press(KEY.ctrlU);
    ui.type('Hélèna');
    await ui.waitFor('Hélèna');
    await side!.request('update_contact', { contact_id: contact!.id, version: contact!.version, prenom: 'Léna' });
    ui.press(KEY.ctrlS);
    await ui.waitFor('a changé sur le serveur');
    ui.press('2');
    const frame = await ui.waitFor((f) => !f.includes('a changé sur le serveur') && f.includes('Léna'));
    expect(frame).not.toContain('Hélèna');
    const [stored] = (await side!.request('list_contacts', {})).contacts;
    expect(stored?.prenom).toBe('Léna');
  });
});

describe('search by nom and prénom', () => {
  it('shows the coordinates, or « Contact introuvable dans l\'annuaire. »', async () => {
    const ui = await loggedIn([{ nom: 'Dupré', prenom: 'Hélène', email: 'helene@example.com', telephone: '06 12 34 56 78' }]);
    ui.press('1');
    await ui.waitFor('Rechercher un contact');
    ui.type('Dupré\tHélène\r');
    const found = await ui.waitFor('helene@example.com');
    expect(found).toContain('06 12 34 56 78');
    ui.press(KEY.shiftTab, KEY.ctrlU);
    ui.type('Personne');
    ui.press(KEY.ctrlS);
    await ui.waitFor("Contact introuvable dans l’annuaire.");
  });

  it('many matches: a window of them around the selected one, each whole, never squeezed', async () => {
    const prenoms = ['Anne', 'Bruno', 'Claire', 'Denis', 'Elise', 'Fabien', 'Gaelle', 'Henri', 'Ines', 'Jules'];
    const ui = await loggedIn(prenoms.map((prenom) => ({ nom: 'Dupré', prenom, email: `${prenom.toLowerCase()}@dupre.fr` })));
    ui.press('1');
    await ui.waitFor('Prénom (facultatif)');
    ui.type('dupre');
    ui.press(KEY.ctrlS);
    await ui.waitFor('10 contact(s) trouvé(s)');
    for (let i = 0; i < 9; i++) ui.press(KEY.down);
    const frame = await ui.waitFor(/❯ Nom : Dupré · Prénom : Jules/);
    const lines = frame.split('\n');
    const shown = lines.filter((l) => l.includes('@dupre.fr'));
    expect(shown.length).toBeGreaterThan(0);
    for (const l of shown) expect(l).toMatch(/^ {2}Email : [a-z]+@dupre\.fr · Téléphone : —$/);
    expect(lines.findIndex((l) => l.includes('jules@dupre.fr'))).toBe(lines.findIndex((l) => l.includes('Prénom : Jules')) + 1);
  });

  it('with the nom alone (prénom marked optional) lists every contact of that nom; ↓ Enter opens one', async () => {
    const ui = await loggedIn([
      { nom: 'Dupré', prenom: 'Hélène', email: 'helene@example.com' },
      { nom: 'Dupré', prenom: 'Anne', email: 'anne@example.com' },
      { nom: 'Martin', prenom: 'Paul' },
    ]);
    ui.press('1');
    await ui.waitFor('Prénom (facultatif)');
    ui.type('dupre');
    ui.press(KEY.ctrlS);
    const found = await ui.waitFor('2 contact(s) trouvé(s)');
    expect(found.indexOf('Anne')).toBeLessThan(found.indexOf('Hélène'));
    expect(found).not.toContain('Martin');
    ui.press(KEY.down, KEY.enter);
    const opened = await ui.waitFor('Modifier le contact');
    expect(opened).toContain('helene@example.com');
  });
});

describe('the whole contact in the form', () => {
  it('edits the second email, the address and the birthday, every entry shown and kept with its type', async () => {
    const ui = await loggedIn();
    await side!.request('add_contact', {
      nom: 'Lefèvre',
      prenom: 'Anne',
      emails: [
        { value: 'anne@maison.fr', type: 'home' },
        { value: 'anne@bureau.fr', type: 'work' },
        { value: 'anne@ancien.fr', type: 'other' },
      ],
      telephones: [
        { value: '0102030405', type: 'home' },
        { value: '0611223344', type: 'mobile' },
        { value: '0199999999', type: 'fax' },
      ],
      adresse: { rue: '1 rue de la Paix', code_postal: '75002', ville: 'Paris', region: 'Île-de-France', pays: 'France' },
    });
    ui.press('2');
    await ui.waitFor('1 contact(s)');
    ui.press(KEY.enter);
    const form = await ui.waitFor('Modifier le contact');
    expect(form).toContain('anne@bureau.fr');
    // Every entry shows: the third email too.
    expect(form).toContain('anne@ancien.fr');
    // Second email: the 4th field.
    ui.press(KEY.tab, KEY.tab, KEY.tab, KEY.ctrlU);
    ui.type('anne@travail.fr');
    // Ville (13th: three emails, three phones) and anniversaire (15th): the form scrolls to show them at 24 rows.
    ui.press(KEY.tab, KEY.tab, KEY.tab, KEY.tab, KEY.tab, KEY.tab, KEY.tab, KEY.tab, KEY.tab, KEY.ctrlU);
    ui.type('Lyon');
    ui.press(KEY.tab, KEY.tab);
    ui.type('1980-13-01');
    ui.press(KEY.ctrlS);
    // Client-side check with the protocol's schema, next to the field.
    // Month 13: the form reads the date and says it does not exist.
    const refused = await ui.waitFor('Cette date n’existe pas');
    expect(refused.split('\n').find((l) => l.includes('Cette date n’existe pas'))).toContain('Anniversaire');
    ui.press(KEY.ctrlU);
    ui.type('--04-12');
    ui.press(KEY.ctrlS);
    await ui.waitFor('Contact enregistré.');
    const [saved] = (await side!.request('list_contacts', {})).contacts;
    expect(saved?.emails).toEqual([
      { value: 'anne@maison.fr', type: 'home' },
      { value: 'anne@travail.fr', type: 'work' },
      { value: 'anne@ancien.fr', type: 'other' },
    ]);
    expect(saved?.telephones.map((p) => p.value)).toEqual(['0102030405', '0611223344', '0199999999']);
    expect(saved?.adresse).toMatchObject({ rue: '1 rue de la Paix', code_postal: '75002', ville: 'Lyon', region: 'Île-de-France', pays: 'France' });
    expect(saved?.anniversaire).toBe('--04-12');
  });

  it('Ctrl+D on an email removes that entry, the next one moving up', async () => {
    const ui = await loggedIn([]);
    await side!.request('add_contact', { nom: 'Lefèvre', prenom: 'Anne', emails: [{ value: 'anne@ancien.fr', type: 'home' }, { value: 'anne@bureau.fr', type: 'work' }] });
    ui.press('2');
    await ui.waitFor('1 contact(s)');
    ui.press(KEY.enter);
    await ui.waitFor('Email 2');
    ui.press(KEY.tab, KEY.tab, KEY.ctrlD);
    const frame = await ui.waitFor((f) => !f.includes('Email 2'));
    expect(frame).not.toContain('anne@ancien.fr');
    expect(frame).toMatch(/› Email +\[anne@bureau\.fr/);
    ui.press(KEY.ctrlS);
    await ui.waitFor('Contact enregistré.');
    const [saved] = (await side!.request('list_contacts', {})).contacts;
    expect(saved?.emails).toEqual([{ value: 'anne@bureau.fr', type: 'work' }]);
  });

  it('adds a contact with an address, a website and two phones', async () => {
    const ui = await loggedIn();
    ui.press('3');
    await ui.waitFor('Nouveau contact');
    // A second phone: Ctrl+N on the first adds a field after it, focused.
    ui.type('Abel\tJean\t\t06 12 34 56 78');
    ui.press(KEY.ctrlN);
    await ui.waitFor('Téléphone 2');
    ui.type('01 23 45 67 89\t\t\t\t\tNantes\tFrance\t\thttps://abel.example');
    ui.press(KEY.ctrlS);
    await ui.waitFor('Contact ajouté.');
    const [saved] = (await side!.request('list_contacts', {})).contacts;
    expect(saved?.telephones.map((p) => p.value)).toEqual(['06 12 34 56 78', '01 23 45 67 89']);
    expect(saved?.adresse).toMatchObject({ ville: 'Nantes', pays: 'France' });
    expect(saved?.site_web).toBe('https://abel.example');
    expect(saved?.emails).toEqual([]);
  });
});

describe('a long list', () => {
  /** `n` contacts « Nom0001 Prénom » … imported in one request. */
  async function withMany(n: number) {
    const ui = await loggedIn();
    const csv = ['nom,prenom', ...Array.from({ length: n }, (_, i) => `Nom${String(i + 1).padStart(4, '0')},Prénom`)].join('\n');
    expect((await side!.request('import_contacts', { format: 'csv', data: csv })).imported).toBe(n);
    ui.press('2');
    await ui.waitFor(`${n} contact(s)`);
    return ui;
  }
  const selectedLine = (f: string) => f.split('\n').find((l) => l.includes('❯ ')) ?? '';

  it('End jumps straight to the last contact, PgUp and Home come back', async () => {
    const ui = await withMany(650);
    ui.press(KEY.end);
    await ui.waitFor((f) => selectedLine(f).includes('Nom0650'));
    ui.press(KEY.pageUp);
    await ui.waitFor((f) => /Nom06[0-4]\d/.test(selectedLine(f)));
    ui.press(KEY.home);
    await ui.waitFor((f) => selectedLine(f).includes('Nom0001'));
  });

  it('after an edit that moves a contact far down the list, the selection follows it', async () => {
    const ui = await withMany(650);
    ui.press(KEY.down, KEY.down);
    await ui.waitFor((f) => selectedLine(f).includes('Nom0003'));
    ui.press(KEY.enter);
    await ui.waitFor('Modifier le contact');
    ui.press(KEY.ctrlU);
    ui.type('Zulu');
    ui.press(KEY.ctrlS);
    await ui.waitFor('Contact enregistré.');
    const frame = await ui.waitFor((f) => selectedLine(f).includes('Zulu'));
    expect(frame).toMatch(/│ ?Zulu Prénom/);
    // It is the last row now: nothing below it.
    ui.press(KEY.down);
    await ui.waitFor((f) => selectedLine(f).includes('Zulu'));
    ui.press(KEY.up);
    await ui.waitFor((f) => selectedLine(f).includes('Nom0650'));
  });

  it('after adding from the list, the new contact is selected', async () => {
    const ui = await withMany(30);
    ui.press(KEY.ctrlN);
    await ui.waitFor('Nouveau contact');
    ui.type('Nom0015b\tPaul');
    ui.press(KEY.ctrlS);
    await ui.waitFor('Contact ajouté.');
    await ui.waitFor((f) => selectedLine(f).includes('Nom0015b Paul'));
  });
});
