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

  it('a wrong current password says « Mot de passe incorrect » (no username was typed) and clears every password', async () => {
    const { ui } = await onAccountScreen();
    ui.press('1');
    await ui.waitFor('Mot de passe actuel');
    ui.type('pas-le-bon\tnouveau-mdp-2\tnouveau-mdp-2\r');
    const frame = await ui.waitFor('Mot de passe incorrect.');
    expect(frame).not.toContain("Nom d'utilisateur");
    expect(frame).not.toContain('•');
  });

  it('deletes the account after a question spelling out the consequences, then the password; a wrong one gets « Mot de passe incorrect » and no last confirmation', async () => {
    const { ui, name } = await onAccountScreen(3);
    ui.press('2');
    await ui.waitFor(`Supprimer le compte ${name} et ses 3 contact(s) ?`);
    ui.press('n');
    await ui.waitFor('1. Changer le mot de passe');
    ui.press('2');
    await ui.waitFor(`Supprimer le compte ${name} et ses 3 contact(s) ?`);
    ui.press('o');
    const warning = await ui.waitFor('seront effacés définitivement');
    expect(warning).toContain('3 contact(s)');
    ui.type('pas-le-bon\r');
    const wrong = await ui.waitFor('Mot de passe incorrect.');
    expect(wrong).not.toContain("Nom d'utilisateur");
    expect(wrong).not.toContain('Supprimer le compte ' + name + ' et');
    expect(await canLogin(name, 'motdepasse1')).toBe(true);
    ui.type('motdepasse1\r');
    const frame = await ui.waitFor('1. Créer un compte');
    // Said once, not twice.
    expect(frame.match(/supprimé/g)).toHaveLength(1);
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
