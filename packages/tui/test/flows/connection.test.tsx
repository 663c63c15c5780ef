import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '@annuaire/server';
import { freePort, KEY, renderApp, sideClient, uniqueUser, waitUntil } from '../helpers';

let app: Awaited<ReturnType<typeof renderApp>> | undefined;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const c of cleanups.splice(0)) await c();
});


describe('status lines', () => {
  it('« Connexion réussie. » goes at the next key: it is old news', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'annuaire-tui-'));
    const server = await startServer({ host: '127.0.0.1', port: 0, dataDir });
    cleanups.push(() => server.close(), () => rmSync(dataDir, { recursive: true, force: true }));
    const name = uniqueUser('st');
    await (await sideClient(server.port, name)).close();
    app = await renderApp(server.port);
    await app.waitFor('● connecté');
    app.press('2');
    await app.waitFor('Se connecter');
    app.type(`${name}\rmotdepasse1\r`);
    await app.waitFor('Connexion réussie');
    app.press(KEY.down);
    await app.waitFor((f) => f.includes('Menu principal') && !f.includes('Connexion réussie'));
  });
});

describe('connection', () => {
  it('names the address when nothing answers, and R retries', async () => {
    const port = await freePort();
    app = await renderApp(port);
    const frame = await app.waitFor('Impossible de joindre le serveur');
    expect(frame).toContain(`127.0.0.1:${port}`);
    expect(frame).toContain('R réessayer');
    expect(frame).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace

    const dataDir = mkdtempSync(path.join(tmpdir(), 'annuaire-tui-'));
    const server = await startServer({ host: '127.0.0.1', port, dataDir });
    cleanups.push(() => server.close(), () => rmSync(dataDir, { recursive: true, force: true }));
    app.press('r');
    await app.waitFor('1. Créer un compte');
  });

  it('reconnects after a drop, resumes the session and keeps what was being typed', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'annuaire-tui-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let server = await startServer({ host: '127.0.0.1', port: 0, dataDir });
    const port = server.port;
    cleanups.push(() => server.close());
    const name = uniqueUser('rc');
    await (await sideClient(port, name)).close();

    app = await renderApp(port);
    await app.waitFor('● connecté');
    app.press('2');
    await app.waitFor('Se connecter');
    app.type(`${name}\rmotdepasse1\r`);
    await app.waitFor('Menu principal');
    app.press('3');
    await app.waitFor('Nouveau contact');
    app.type('Dupré\tHélène');
    await app.waitFor('Hélène');

    // The server goes away mid-edit…
    await server.close();
    await app.waitFor('reconnexion…');
    await app.waitFor(/Connexion perdue avec 127\.0\.0\.1:\d+/);
    // …a save while offline sends nothing and says so, keeping the input.
    app.press(KEY.ctrlS);
    const offline = await app.waitFor("rien n’a été envoyé");
    expect(offline).toContain('Dupré');
    expect(offline).toContain('Hélène');

    // …and comes back on the same port: the TUI reconnects and resumes the session by itself.
    server = await startServer({ host: '127.0.0.1', port, dataDir });
    const back = await app.waitFor((f) => f.includes('● connecté') && !f.includes('Pas de connexion au serveur'), 15_000);
    expect(back).toContain(`Annuaire · ${name}`);
    expect(back).toContain('Dupré');
    expect(back).toContain('Hélène');
    app.press(KEY.ctrlS);
    await app.waitFor('Contact ajouté.');
    const side = await sideClient(port, name);
    cleanups.unshift(() => side.close());
    const list = await side.request('list_contacts', {});
    expect(list.contacts.map((c) => `${c.nom} ${c.prenom}`)).toEqual(['Dupré Hélène']);
  });

  it('goes back to the login form when the session cannot be resumed', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'annuaire-tui-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let server = await startServer({ host: '127.0.0.1', port: 0, dataDir });
    const port = server.port;
    cleanups.push(() => server.close());
    const name = uniqueUser('gone');
    await (await sideClient(port, name)).close();
    app = await renderApp(port);
    await app.waitFor('● connecté');
    app.press('2');
    await app.waitFor('Se connecter');
    app.type(`${name}\rmotdepasse1\r`);
    await app.waitFor('Menu principal');
    // The account is deleted elsewhere while the link is down (through a server on another
    // port over the same data): its sessions die with it.
    await server.close();
    await app.waitFor('reconnexion…');
    const elsewhere = await startServer({ host: '127.0.0.1', port: 0, dataDir });
    const side = await sideClient(elsewhere.port, name);
    await side.request('delete_account', { password: 'motdepasse1' });
    await side.close();
    await elsewhere.close();
    server = await startServer({ host: '127.0.0.1', port, dataDir });
    const frame = await app.waitFor('Session terminée ailleurs', 15_000);
    expect(frame).toContain('Se connecter');
    expect(app.connection.username).toBeNull();
  });
});

describe('quitting', () => {
  /** The app on a fresh server, on the create-account form with `typed` in the username. */
  async function createAccountFormWith(typed: string) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'annuaire-tui-'));
    const server = await startServer({ host: '127.0.0.1', port: 0, dataDir });
    cleanups.push(() => server.close(), () => rmSync(dataDir, { recursive: true, force: true }));
    const ui = await renderApp(server.port);
    await ui.waitFor('● connecté');
    ui.press('1');
    await ui.waitFor("Nom d’utilisateur");
    ui.type(typed);
    await ui.waitFor(typed);
    return ui;
  }

  it('Ctrl+C asks first when a form holds unsaved input, and N keeps the input', async () => {
    app = await createAccountFormWith('quelqu');
    app.press(KEY.ctrlC);
    const asking = await app.waitFor('Quitter quand même ?');
    // The question shows over the form, which stays in view around it.
    expect(asking).toContain('Créer un compte');
    expect(asking).toContain('Ctrl+S valider');
    app.press('n');
    const kept = await app.waitFor((f) => !f.includes('Quitter quand même') && f.includes('quelqu'));
    expect(kept).toContain("Nom d’utilisateur");
    expect(app.hasQuit()).toBe(false);
    app.press(KEY.ctrlC);
    await app.waitFor('Quitter quand même ?');
    app.press('o');
    await waitUntil(() => app!.hasQuit(), 'the app to quit');
  });

  it('Esc asks first when a form holds unsaved input: N keeps it, O goes back; a clean form goes back at once', async () => {
    app = await createAccountFormWith('quelqu');
    app.press(KEY.esc);
    const asking = await app.waitFor('revenir en arrière ?');
    expect(asking).toContain('[quelqu');
    app.press('n');
    await app.waitFor((f) => !f.includes('revenir en arrière') && f.includes('[quelqu'));
    app.type('e');
    await app.waitFor('[quelque');
    app.press(KEY.esc);
    await app.waitFor('revenir en arrière ?');
    app.press('o');
    await app.waitFor('1. Créer un compte');
    expect(app.hasQuit()).toBe(false);
    // Back in the form: nothing typed, so Esc goes straight back.
    app.press('1');
    await app.waitFor("Nom d’utilisateur");
    app.press(KEY.esc);
    const home = await app.waitFor('1. Créer un compte');
    expect(home).not.toContain('revenir en arrière');
  });

  it('Ctrl+C quits at once when nothing is unsaved', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'annuaire-tui-'));
    const server = await startServer({ host: '127.0.0.1', port: 0, dataDir });
    cleanups.push(() => server.close(), () => rmSync(dataDir, { recursive: true, force: true }));
    app = await renderApp(server.port);
    await app.waitFor('● connecté');
    app.press('2');
    await app.waitFor('Se connecter');
    app.press(KEY.ctrlC);
    await waitUntil(() => app!.hasQuit(), 'the app to quit');
  });
});
