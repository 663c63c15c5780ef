import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@annuaire/protocol';
import { KEY, renderApp, renderLoggedIn, sideClient, startTestServer, uniqueUser } from '../helpers';

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

async function onAccountScreen(contacts = 0) {
  const name = uniqueUser('acct');
  const side = await sideClient(server.port, name);
  for (let i = 0; i < contacts; i++) await side.request('add_contact', { nom: `Nom${i}` });
  await side.close();
  app = await renderLoggedIn(server.port, name);
  app.press('5');
  await app.waitFor(`Connecté en tant que ${name} · ${contacts} contact(s)`);
  return { ui: app, name };
}

const canLogin = async (username: string, password: string) => {
  const c = await connect('127.0.0.1', server.port);
  try {
    await c.request('login', { username, password });
    return true;
  } catch {
    return false;
  } finally {
    await c.close();
  }
};

describe('my account', () => {
  it('changes the password (old one asked, new one confirmed)', async () => {
    const { ui, name } = await onAccountScreen();
    ui.press('1');
    await ui.waitFor('Mot de passe actuel');
    ui.type('motdepasse1\tnouveau-mdp-2\tnouveau-mdp-2\r');
    await ui.waitFor(/Mon compte[\s\S]*1\. Changer le mot de passe/);
    expect(await canLogin(name, 'nouveau-mdp-2')).toBe(true);
    expect(await canLogin(name, 'motdepasse1')).toBe(false);
  });

  it('a wrong current password shows the server message and clears every password', async () => {
    const { ui } = await onAccountScreen();
    ui.press('1');
    await ui.waitFor('Mot de passe actuel');
    ui.type('pas-le-bon\tnouveau-mdp-2\tnouveau-mdp-2\r');
    const frame = await ui.waitFor(/incorrect/i);
    expect(frame).not.toContain('•');
  });

  it('deletes the account only after the password and a last confirmation, spelling out the consequences', async () => {
    const { ui, name } = await onAccountScreen(3);
    ui.press('2');
    const warning = await ui.waitFor('seront effacés définitivement');
    expect(warning).toContain('3 contact(s)');
    ui.type('motdepasse1\r');
    await ui.waitFor(`supprimer le compte ${name} ?`);
    ui.press('n');
    await ui.waitFor((f) => !f.includes('Dernière confirmation'));
    expect(await canLogin(name, 'motdepasse1')).toBe(true);
    ui.press(KEY.enter);
    await ui.waitFor(`supprimer le compte ${name} ?`);
    ui.press('o');
    const frame = await ui.waitFor('1. Créer un compte');
    expect(frame).toContain('3 contact(s) effacé(s)');
    expect(await canLogin(name, 'motdepasse1')).toBe(false);
  });

  it('logs out', async () => {
    const { ui } = await onAccountScreen();
    ui.press('3');
    await ui.waitFor('1. Créer un compte');
    expect(ui.connection.username).toBeNull();
  });
});

describe('in English', () => {
  it('speaks English, the server messages included', async () => {
    const name = uniqueUser('en');
    (await sideClient(server.port, name)).close();
    app = await renderApp(server.port, 'en');
    const start = await app.waitFor('● connected');
    expect(start).toContain('1. Create an account');
    expect(start).toContain('3. Quit');
    app.press('2');
    await app.waitFor('Username');
    app.type(`${name}\rwrong-password\r`);
    const frame = await app.waitFor(/incorrect/i);
    expect(frame).not.toMatch(/Nom d'utilisateur|Mot de passe/);
  });
});
