import { describe, expect, it } from 'vitest';
import type { AnnuaireClient } from '@annuaire/protocol';
import { KEY, renderLoggedIn, sideClient, closeAfterEach, serverForFile, uniqueUser } from '../helpers';

const server = serverForFile();
let app: Awaited<ReturnType<typeof renderLoggedIn>> | undefined;
let side: AnnuaireClient | undefined;
closeAfterEach(() => [app, side], () => (app = side = undefined));

describe('a session ended in another terminal', () => {
  it('password changed elsewhere: the form goes at once to the login form, says why, and the draft comes back to be saved', async () => {
    const name = uniqueUser('s');
    side = await sideClient(server.port, name);
    app = await renderLoggedIn(server.port, name);
    app.press('3');
    await app.waitFor('Nouveau contact');
    app.type('Dupré\tHélène\thelene@example.com');
    await app.waitFor('helene@example.com');
    await side.request('change_password', { old_password: 'motdepasse1', new_password: 'nouveau-mdp-2' });
    // No key pressed: the server's session_ended says why.
    const login = await app.waitFor('Mot de passe changé ailleurs');
    expect(login.replace(/\s+/g, ' ')).toContain('Le contact en cours de saisie est gardé pour après.');
    expect(login).toContain(`[${name}`);
    expect(login).not.toContain(`Annuaire · ${name}`);
    app.type('nouveau-mdp-2\r');
    const form = await app.waitFor('Votre saisie est revenue');
    expect(form).toContain('Nouveau contact');
    expect(form).toContain('[Dupré');
    expect(form).toContain('helene@example.com');
    // Still unsaved input (measured against the contact it was based on: none): Esc asks first.
    app.press(KEY.esc);
    await app.waitFor('saisie non enregistrée');
    app.type('n');
    await app.waitFor((f) => !f.includes('saisie non enregistrée'));
    app.press(KEY.ctrlS);
    await app.waitFor('Contact ajouté.');
    const { contacts } = await side.request('list_contacts', {});
    expect(contacts.map((c) => [c.nom, c.prenom, c.email])).toEqual([['Dupré', 'Hélène', 'helene@example.com']]);
  });

  it('password changed elsewhere: the contact list goes to the login form at once', async () => {
    const name = uniqueUser('s');
    side = await sideClient(server.port, name);
    app = await renderLoggedIn(server.port, name);
    app.press('2');
    await app.waitFor('0 contact(s)');
    await side.request('change_password', { old_password: 'motdepasse1', new_password: 'nouveau-mdp-2' });
    const login = await app.waitFor('Mot de passe changé ailleurs');
    expect(login).not.toContain('est gardé');
    expect(login).toContain('non identifié');
  });
});
