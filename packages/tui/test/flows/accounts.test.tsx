import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KEY, renderApp, sideClient, startTestServer, uniqueUser, waitUntil } from '../helpers';

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

let app: Awaited<ReturnType<typeof renderApp>> | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('start screen', () => {
  it("offers exactly the seed's three choices and says which server it talks to", async () => {
    app = await renderApp(server.port);
    const frame = await app.waitFor('● connecté');
    expect(frame).toContain('1. Créer un compte');
    expect(frame).toContain('2. Se connecter');
    expect(frame).toContain('3. Quitter');
    expect(frame).not.toContain('4.');
    expect(frame).toContain(`127.0.0.1:${server.port}`);
    expect(frame).toMatch(/↑↓ choisir.*Ctrl\+C quitter/);
  });

  it('quits on « 3. Quitter »', async () => {
    app = await renderApp(server.port);
    await app.waitFor('● connecté');
    expect(app.hasQuit()).toBe(false);
    app.press('3');
    await waitUntil(() => app!.hasQuit(), 'the app to quit');
  });
});

describe('create account', () => {
  it('validates next to the fields before sending anything', async () => {
    app = await renderApp(server.port);
    await app.waitFor('● connecté');
    app.press('1');
    await app.waitFor("Nom d’utilisateur");
    app.type('ab');
    app.press(KEY.enter);
    app.type('court');
    app.press(KEY.enter);
    app.type('autre');
    app.press(KEY.enter);
    const frame = await app.waitFor('Corrigez les champs signalés.');
    expect(frame.split('\n').find((l) => l.includes("Nom d’utilisateur"))).toContain('Au moins 3 caractères');
    expect(frame.split('\n').find((l) => l.includes('Mot de passe'))).toContain('Au moins 8 caractères');
    expect(frame).toContain('Les mots de passe ne');
  });

  it('shows the server message in place when the name is taken, keeps the username, clears the passwords', async () => {
    const name = uniqueUser('taken');
    const side = await sideClient(server.port);
    await side.request('create_account', { username: name, password: 'motdepasse1' });
    await side.close();

    app = await renderApp(server.port);
    await app.waitFor('● connecté');
    app.press('1');
    await app.waitFor("Nom d’utilisateur");
    app.type(name);
    app.press(KEY.enter);
    app.type('motdepasse2');
    app.press(KEY.enter);
    app.type('motdepasse2');
    app.press(KEY.enter);
    const frame = await app.waitFor('Le nom d’utilisateur existe déjà.');
    expect(frame).toContain(name);
    expect(frame).not.toContain('•');
  });

  it('creates the account, then logs in with it and greets with the server message', async () => {
    const name = uniqueUser('new');
    app = await renderApp(server.port);
    await app.waitFor('● connecté');
    app.press('1');
    await app.waitFor("Nom d’utilisateur");
    app.type(name);
    app.press(KEY.tab);
    app.type('motdepasse1');
    app.press(KEY.tab);
    app.type('motdepasse1');
    app.press(KEY.enter);
    // On to the login form, username filled in and the password focused.
    const login = await app.waitFor(/Se connecter[\s\S]*› Mot de passe/);
    expect(login).toContain(name);
    app.type('motdepasse1');
    app.press(KEY.enter);
    const home = await app.waitFor('Menu principal');
    expect(home).toContain('Connexion réussie.');
    expect(home).toContain(`Annuaire · ${name}`);
  });
});

describe('login', () => {
  it('shows « incorrect » in place and clears only the password', async () => {
    const name = uniqueUser('login');
    const side = await sideClient(server.port, name);
    await side.close();
    app = await renderApp(server.port);
    await app.waitFor('● connecté');
    app.press('2');
    await app.waitFor('Se connecter');
    app.type(name);
    app.press(KEY.enter);
    app.type('mauvais-mdp');
    app.press(KEY.enter);
    const frame = await app.waitFor(/incorrect/i);
    expect(frame).toContain(name);
    expect(frame).not.toContain('•');
    // Typing the right password now logs in: nothing else to retype.
    app.type('motdepasse1');
    app.press(KEY.enter);
    await app.waitFor('Menu principal');
  });

  it('logs out from the home menu back to the start screen', async () => {
    const name = uniqueUser('out');
    (await sideClient(server.port, name)).close();
    app = await renderApp(server.port);
    await app.waitFor('● connecté');
    app.press('2');
    await app.waitFor('Se connecter');
    app.type(`${name}\rmotdepasse1\r`);
    await app.waitFor('Menu principal');
    app.press('6');
    const frame = await app.waitFor('1. Créer un compte');
    expect(frame).toContain('non identifié');
    expect(app.connection.username).toBeNull();
  });

  it('Esc goes back to the start screen', async () => {
    app = await renderApp(server.port);
    await app.waitFor('● connecté');
    app.press('2');
    await app.waitFor('Se connecter');
    app.press(KEY.esc);
    await app.waitFor('1. Créer un compte');
  });
});
