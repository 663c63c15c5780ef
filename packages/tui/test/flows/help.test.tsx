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

const F1 = '\u001bOP';

describe('help (F1 or ?)', () => {
  it('lists every key of the contact list, over it; Esc closes it and the list is as it was', async () => {
    const name = uniqueUser('h');
    side = await sideClient(server.port, name);
    await side.request('add_contact', { nom: 'Dupré', prenom: 'Hélène' });
    app = await renderLoggedIn(server.port, name);
    app.press('2');
    await app.waitFor('1 contact(s)');
    app.type('?');
    const help = await app.waitFor('Touches de cet écran');
    for (const key of ['PgPréc/PgSuiv', 'Début/Fin', 'Ctrl+N', 'Ctrl+D', 'Ctrl+R', 'Échap', 'Retour arrière', 'Ctrl+C']) expect(help).toContain(key);
    // The help takes every key: nothing goes to the filter.
    app.type('x');
    app.press(KEY.esc);
    await app.waitFor((f) => !f.includes('Touches de cet écran'));
    expect(app.lastFrame()).toContain('(tapez pour filtrer)');
  });

  it('F1 in a form lists the editing keys; « ? » there is text', async () => {
    const name = uniqueUser('h');
    side = await sideClient(server.port, name);
    app = await renderLoggedIn(server.port, name);
    app.press('3');
    await app.waitFor('Nouveau contact');
    app.type('?');
    await app.waitFor('[?');
    app.press(F1);
    const help = await app.waitFor('Touches de cet écran');
    for (const key of ['Tab/Maj+Tab', 'Ctrl+S', 'Ctrl+A/Ctrl+E', 'Suppr', 'Ctrl+U', 'Coller']) expect(help).toContain(key);
    app.press(F1);
    await app.waitFor((f) => !f.includes('Touches de cet écran'));
  });

  it('the home menu: « ? » opens it too', async () => {
    const name = uniqueUser('h');
    side = await sideClient(server.port, name);
    app = await renderLoggedIn(server.port, name);
    app.type('?');
    const help = await app.waitFor('Touches de cet écran');
    expect(help).toContain('↑↓ choisir');
    expect(help).toContain('1-7 raccourci');
  });
});
