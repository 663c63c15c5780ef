import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AnnuaireClient } from '@annuaire/protocol';
import { KEY, renderApp, renderLoggedIn, sideClient, startTestServer, uniqueUser } from '../helpers';

let server: Awaited<ReturnType<typeof startTestServer>>;
let files: string;
beforeAll(async () => {
  server = await startTestServer();
  files = mkdtempSync(path.join(tmpdir(), 'annuaire-tui-files-'));
});
afterAll(async () => {
  await server.stop();
  rmSync(files, { recursive: true, force: true });
});

let app: Awaited<ReturnType<typeof renderApp>> | undefined;
let side: AnnuaireClient | undefined;
afterEach(async () => {
  await app?.close();
  await side?.close();
  app = undefined;
  side = undefined;
});

const VCARDS = [
  ['BEGIN:VCARD', 'VERSION:3.0', 'FN:Hélène Dupré', 'N:Dupré;Hélène;;;', 'EMAIL:helene@example.fr', 'END:VCARD'],
  ['BEGIN:VCARD', 'VERSION:3.0', 'FN:Paul Martin', 'N:Martin;Paul;;;', 'TEL:01 23 45 67 89', 'EMAIL:pas-un-email', 'END:VCARD'],
  ['BEGIN:VCARD', 'VERSION:3.0', 'NOTE:une fiche qui ne nomme personne', 'END:VCARD'],
]
  .map((card) => card.join('\r\n'))
  .join('\r\n');

/** A user (with `contacts`), logged in, on the import/export menu. */
async function onTransferMenu(contacts: { nom: string; prenom?: string }[] = []) {
  const name = uniqueUser('t');
  side = await sideClient(server.port, name);
  for (const c of contacts) await side.request('add_contact', c);
  app = await renderLoggedIn(server.port, name);
  app.press('4');
  await app.waitFor('1. Importer un fichier');
  return { ui: app, name };
}

const file = (name: string, content: string) => {
  const p = path.join(files, name);
  writeFileSync(p, content);
  return p;
};

describe('import', () => {
  it('checks first (a dry run: what would be imported, what is rejected and why), then imports for real once asked', async () => {
    const vcf = file('carnet.vcf', VCARDS);
    const { ui } = await onTransferMenu();
    ui.press('1');
    await ui.waitFor('Fichier');
    ui.type(`${vcf}\r`);
    const preview = await ui.waitFor('2 contact(s) à importer, 1 rejeté(s)');
    expect(preview).toMatch(/1 valeur\(s\) laissée\(s\) de côté/);
    expect(preview).toMatch(/n° 3 · \(sans nom\) · Ne nomme personne/);
    expect(preview).toMatch(/n° 2 · Martin Paul · emails\.0 « pas-un-email » laissé de côté/);
    expect((await side!.request('list_contacts', {})).total).toBe(0);
    ui.press(KEY.enter);
    await ui.waitFor('2 contact(s) importé(s) depuis');
    const stored = await side!.request('list_contacts', {});
    expect(stored.contacts.map((c) => c.nom)).toEqual(['Dupré', 'Martin']);
  });

  it('Esc from the check imports nothing', async () => {
    const vcf = file('annule.vcard', VCARDS);
    const { ui } = await onTransferMenu();
    ui.press('1');
    await ui.waitFor('Fichier');
    ui.type(`${vcf}\r`);
    await ui.waitFor('2 contact(s) à importer');
    ui.press(KEY.esc);
    await ui.waitFor('Vérifier le fichier');
    expect((await side!.request('list_contacts', {})).total).toBe(0);
  });

  it('asks the format when the name does not tell it', async () => {
    const txt = file('export.txt', 'nom,prenom,email\nBon,Contact,bon@example.fr\n');
    const { ui } = await onTransferMenu();
    ui.press('1');
    await ui.waitFor('Fichier');
    ui.type(`${txt}\r`);
    await ui.waitFor('Quel est le format de');
    ui.press('2');
    await ui.waitFor('1 contact(s) à importer, 0 rejeté(s)');
  });

  it('says so, without sending anything, for a missing file', async () => {
    const { ui } = await onTransferMenu();
    ui.press('1');
    await ui.waitFor('Fichier');
    ui.type(`${path.join(files, 'absent.vcf')}\r`);
    await ui.waitFor('Fichier introuvable');
    expect(ui.connection.state).toBe('online');
  });

  it('imports a Windows-1252 file larger than one frame (sent in pieces), letters intact', async () => {
    const cards: string[] = [];
    for (let i = 0; i < 1500; i++) cards.push(`BEGIN:VCARD\r\nVERSION:2.1\r\nN:Nüßlebaum${i};Sören\r\nNOTE:${'é'.repeat(900)}\r\nEND:VCARD\r\n`);
    const p = path.join(files, 'gros-1252.vcf');
    writeFileSync(p, Buffer.from(cards.join(''), 'latin1'));
    const { ui } = await onTransferMenu();
    ui.press('1');
    await ui.waitFor('Fichier');
    ui.type(`${p}\r`);
    await ui.waitFor('1500 contact(s) à importer, 0 rejeté(s)', 60_000);
    ui.press(KEY.enter);
    await ui.waitFor('1500 contact(s) importé(s) depuis', 60_000);
    const { contacts } = await side!.request('list_contacts', { limit: 1 });
    expect(contacts[0]).toMatchObject({ nom: 'Nüßlebaum0', prenom: 'Sören', notes: 'é'.repeat(900) });
  }, 120_000);
});

describe('export', () => {
  it('offers ~/annuaire-<user>.vcf, writes the file and reports count and path; an existing file is replaced only after confirmation', async () => {
    const { ui, name } = await onTransferMenu([{ nom: 'Abel', prenom: 'Jean' }, { nom: 'Dupré', prenom: 'Hélène' }]);
    ui.press('2');
    await ui.waitFor(`~/annuaire-${name}.vcf`);
    const target = path.join(files, `${name}.vcf`);
    ui.press(KEY.ctrlU);
    ui.type(`${target}\r`);
    await ui.waitFor(`2 contact(s) exporté(s) dans ${target}`);
    expect(readFileSync(target, 'utf8').match(/BEGIN:VCARD/g)).toHaveLength(2);

    writeFileSync(target, 'ancien');
    ui.press('3');
    await ui.waitFor(`~/annuaire-${name}.csv`);
    ui.press(KEY.ctrlU);
    ui.type(`${target}\r`);
    await ui.waitFor('existe déjà. Le remplacer ?');
    ui.press('n');
    await ui.waitFor((f) => !f.includes('Le remplacer'));
    expect(readFileSync(target, 'utf8')).toBe('ancien');
    ui.press(KEY.ctrlS);
    await ui.waitFor('existe déjà. Le remplacer ?');
    ui.press('o');
    await ui.waitFor(`2 contact(s) exporté(s) dans ${target}`);
    expect(readFileSync(target, 'utf8')).toMatch(/Abel/);
    expect(readFileSync(target, 'utf8')).not.toContain('BEGIN:VCARD');
  });
});
