import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KEY, renderApp, sideClient, startTestServer } from '../helpers';

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer();
  const side = await sideClient(server.port, 'camille', 'motdepasse1');
  for (const c of [
    { nom: 'Dupré', prenom: 'Hélène', email: 'helene.dupre@example.com', telephone: '06 12 34 56 78', entreprise: 'Annuaire SA' },
    { nom: 'Abel', prenom: 'Jean', email: 'jean.abel@example.org' },
    { nom: 'Martin', prenom: 'Zoé', telephone: '+33 1 23 45 67 89' },
    { nom: 'Martin', prenom: 'Alice' },
  ])
    await side.request('add_contact', c);
  await side.close();
});
afterAll(async () => {
  await server.close();
});

let app: Awaited<ReturnType<typeof renderApp>> | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The ephemeral port is the only thing that changes from run to run. */
const stable = (frame: string) => frame.replace(`127.0.0.1:${server.port}`, '127.0.0.1:PORT');

describe('main screens (80 columns are covered by the tmux tests; these are 100×24)', () => {
  it('start screen', async () => {
    app = await renderApp(server.port);
    expect(stable(await app.waitFor('● connecté'))).toMatchSnapshot();
  });

  it('login form with a validation message', async () => {
    app = await renderApp(server.port);
    await app.waitFor('● connecté');
    app.press('2');
    await app.waitFor('Se connecter');
    app.type('camille');
    app.press(KEY.ctrlS);
    expect(stable(await app.waitFor('Champ obligatoire'))).toMatchSnapshot();
  });

  it('home menu, then the contact list with its detail pane', async () => {
    app = await renderApp(server.port);
    await app.waitFor('● connecté');
    app.press('2');
    await app.waitFor('Se connecter');
    app.type('camille\rmotdepasse1\r');
    expect(stable(await app.waitFor('Connexion réussie.'))).toMatchSnapshot('home');
    app.press('2');
    await app.waitFor('4 contact(s)');
    app.press(KEY.down);
    expect(stable(await app.waitFor('Annuaire SA'))).toMatchSnapshot('contacts');
  });

  it('contact form', async () => {
    app = await renderApp(server.port);
    await app.waitFor('● connecté');
    app.press('2');
    await app.waitFor('Se connecter');
    app.type('camille\rmotdepasse1\r');
    await app.waitFor('Menu principal');
    app.press('3');
    await app.waitFor('Nouveau contact');
    app.type('Dupont\t\tpas-un-email');
    app.press(KEY.ctrlS);
    expect(stable(await app.waitFor('Adresse email invalide'))).toMatchSnapshot();
  });
});
