import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AnnuaireClient } from '@annuaire/protocol';
import { KEY, renderLoggedIn, sideClient, startTestServer, uniqueUser } from '../helpers';

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});
let app: Awaited<ReturnType<typeof renderLoggedIn>> | undefined;
let side: AnnuaireClient | undefined;
afterEach(async () => {
  await app?.close();
  await side?.close();
  app = side = undefined;
});

const paste = (text: string) => `\u001b[200~${text}\u001b[201~`;

async function newContactForm() {
  const name = uniqueUser('k');
  side = await sideClient(server.port, name);
  app = await renderLoggedIn(server.port, name);
  app.press('3');
  await app.waitFor('Nouveau contact');
  return app;
}

describe('editing keys in the contact form', () => {
  it('notes take several lines: Alt+Enter or Ctrl+J starts a new one, shown one under the other', async () => {
    const ui = await newContactForm();
    ui.type('Dupré\tHélène');
    for (let i = 0; i < 11; i++) ui.press(KEY.tab);
    await ui.waitFor('› Notes');
    ui.type('Rencontrée à Lyon.');
    ui.press('\u001b\r');
    ui.type('Aime le jazz.');
    ui.press('\n');
    ui.type('Appeler le matin.');
    const frame = await ui.waitFor('Appeler le matin.');
    const rows = frame.split('\n');
    const first = rows.findIndex((l) => l.includes('› Notes'));
    expect(rows[first]).toContain('[Rencontrée à Lyon.');
    expect(rows[first + 1]).toMatch(/^ +\[Aime le jazz\. +\]/);
    expect(rows[first + 2]).toMatch(/^ +\[Appeler le matin\./);
    ui.press(KEY.ctrlS);
    await ui.waitFor('Contact ajouté.');
    const { contacts } = await side!.request('list_contacts', {});
    expect(contacts[0]?.notes).toBe('Rencontrée à Lyon.\nAime le jazz.\nAppeler le matin.');
  });

  it('Delete erases the character under the cursor, Backspace the one before', async () => {
    const ui = await newContactForm();
    ui.type('Duxpré');
    ui.press(KEY.home, KEY.right, KEY.right, '\u001b[3~');
    await ui.waitFor('[Dupré');
    ui.press(KEY.end, KEY.backspace);
    await ui.waitFor('[Dupr ');
  });

  it('a paste longer than the field says how much was left out', async () => {
    const ui = await newContactForm();
    ui.type(paste('N'.repeat(130)));
    const frame = await ui.waitFor('Collé en partie : 30 en trop');
    expect(frame).toContain('NNNN');
  });

  it('a multi-line paste into notes keeps its lines', async () => {
    const ui = await newContactForm();
    ui.type('Dupré\tHélène');
    for (let i = 0; i < 11; i++) ui.press(KEY.tab);
    await ui.waitFor('› Notes');
    ui.type(paste('Rencontrée à Lyon.\r\nAime le jazz.\nAppeler le matin.'));
    await ui.waitFor('Appeler');
    ui.press(KEY.ctrlS);
    await ui.waitFor('Contact ajouté.');
    const { contacts } = await side!.request('list_contacts', {});
    expect(contacts[0]?.notes).toBe('Rencontrée à Lyon.\nAime le jazz.\nAppeler le matin.');
  });
});
