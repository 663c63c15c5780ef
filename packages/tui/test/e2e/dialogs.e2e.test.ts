import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '@annuaire/server';
import { connect, type AnnuaireClient } from '@annuaire/protocol';
import { hasTmux, TmuxTerminal } from './tmux';
import { boxAround, changedOutside, inside } from './screen';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = path.join(root, 'packages/tui/dist/cli.js');

const PEOPLE = [
  ['Boyer', 'Océane'], ['Martin', 'Léa'], ['Bernard', 'Hugo'], ['Dubois', 'Chloé'], ['Thomas', 'Louis'],
  ['Robert', 'Emma'], ['Richard', 'Jules'], ['Petit', 'Manon'], ['Durand', 'Lucas'], ['Leroy', 'Camille'],
  ['Moreau', 'Nathan'], ['Simon', 'Inès'], ['Laurent', 'Adam'], ['Lefebvre', 'Jade'], ['Michel', 'Arthur'],
  ['Garcia', 'Alice'], ['David', 'Paul'], ['Bertrand', 'Lina'], ['Roux', 'Tom'], ['Vincent', 'Zoé'],
] as const;
const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

describe.skipIf(!hasTmux())('dialogs in a real terminal never scramble what is under them', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let dataDir: string;
  let side: AnnuaireClient;
  let term: TmuxTerminal | undefined;
  let seq = 0;

  beforeAll(async () => {
    if (!existsSync(bin)) execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
    dataDir = mkdtempSync(path.join(tmpdir(), 'annuaire-e2e-dialogs-'));
    server = await startServer({ host: '127.0.0.1', port: 0, dataDir });
    side = await connect('127.0.0.1', server.port);
  });
  afterAll(async () => {
    await side?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  afterEach(() => {
    term?.kill();
    term = undefined;
  });

  /** A fresh user with the 20 contacts, logged in in a terminal of the given size, on « Mes contacts ». */
  async function contactsAt(columns: number, rows: number) {
    const username = `dlg${process.pid % 1000}x${++seq}`;
    await side.request('create_account', { username, password: 'motdepasse1' });
    await side.request('login', { username, password: 'motdepasse1' });
    for (const [nom, prenom] of PEOPLE) await side.request('add_contact', { nom, prenom, email: `${ascii(prenom)}.${ascii(nom)}@example.org`, telephone: '06 12 34 56 78' });
    const t = (term = new TmuxTerminal('e2e', { columns, rows }));
    t.start(`node ${bin} --host 127.0.0.1 --port ${server.port} --lang fr; sleep 600`);
    await t.waitFor('1. Créer un compte');
    t.type('2');
    await t.waitFor("Nom d’utilisateur");
    t.type(username);
    t.press('Enter');
    t.type('motdepasse1');
    t.press('Enter');
    await t.waitFor('Menu principal');
    t.type('2');
    await t.waitFor((s) => s.includes('20 contact(s)') && s.includes('│ Bernard Hugo'));
    return t;
  }

  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
  ] as const) {
    it(`the delete dialog at ${columns}×${rows}: every row around it as it was, its own text whole`, async () => {
      const t = await contactsAt(columns, rows);
      const before = t.screen();
      t.press('C-d');
      const after = await t.waitFor('Supprimer « Bernard Hugo » ?');
      const box = boxAround(after, 'Supprimer « Bernard Hugo »');
      expect(changedOutside(before, after, box)).toEqual([]);
      expect(inside(after, box)).toEqual(['Supprimer « Bernard Hugo » ? Cette action est définitive.', '', 'Oui     Non    O oui · N non']);
      // Every contact line outside the dialog is whole: no row squeezed into another.
      const listed = after.split('\n').filter((l, y) => y < box.top && /@example\.org/.test(l));
      for (const line of listed) expect(line).toMatch(/ [a-z]+\.[a-z]+@example\.org( |$)/);
      // Closing it gives the list back exactly.
      t.press('n');
      await t.waitFor((s) => !s.includes('Supprimer «'));
      expect(t.screen()).toEqual(before);
    });
  }

  it('the conflict dialog at 80×24 shows each changed field whole, and the form above it untouched', async () => {
    const t = await contactsAt(80, 24);
    t.press('Enter');
    await t.waitFor('Modifier le contact');
    t.press('Tab', 'Tab', 'Tab', 'Tab');
    t.type('Annuaire SA');
    await t.waitFor('Annuaire SA');
    const before = t.screen();
    // Someone else changes Hugo's email and phone while the form, edited, is open: the dialog comes at once.
    const { contacts } = await side.request('recherche_contact', { nom: 'Bernard', prenom: 'Hugo' });
    const hugo = contacts[0]!;
    await side.request('update_contact', { contact_id: hugo.id, version: hugo.version, emails: [{ value: 'hugo@ailleurs.fr', type: 'other' }], telephones: [{ value: '07 00 00 00 01', type: 'other' }] });
    const after = await t.waitFor('Garder mes modifications');
    const box = boxAround(after, 'Changements sur le serveur');
    const rowsAbove = Array.from({ length: before.split('\n').length }, (_, y) => y).filter((y) => y >= box.top);
    // The form waits under the dialog: only its focus mark is gone.
    expect(changedOutside(before.replace('›', ' '), after, box, rowsAbove)).toEqual([]);
    const text = inside(after, box);
    expect(text).toContain('Email : « hugo.bernard@example.org » → « hugo@ailleurs.fr »');
    expect(text).toContain('Téléphone : « 06 12 34 56 78 » → « 07 00 00 00 01 »');
    // The change came before the edit: the wording does not say « pendant que vous l’éditiez ».
    expect(text[0]).toBe('Ce contact a changé sur le serveur depuis que vous l’avez chargé.');
  });
});
