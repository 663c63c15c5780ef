/**
 * Two terminals on one account, each a real pty (tmux) running the built bin: what one saves
 * appears in the other's list and detail pane without a key pressed there.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@annuaire/protocol';
import { startServer } from '@annuaire/server';
import { hasTmux, TmuxTerminal } from './tmux';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = path.join(root, 'packages/tui/dist/cli.js');

describe.skipIf(!hasTmux())('two terminals on one account (tmux)', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let dataDir: string;
  const terms: TmuxTerminal[] = [];

  beforeAll(async () => {
    if (!existsSync(bin)) execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
    dataDir = mkdtempSync(path.join(tmpdir(), 'annuaire-e2e-live-'));
    server = await startServer({ host: '127.0.0.1', port: 0, dataDir });
    const setup = await connect('127.0.0.1', server.port);
    await setup.request('create_account', { username: 'duo.e2e', password: 'motdepasse-e2e' });
    await setup.request('login', { username: 'duo.e2e', password: 'motdepasse-e2e' });
    await setup.request('add_contact', { nom: 'Dupré', prenom: 'Hélène', email: 'helene@example.com' });
    await setup.request('add_contact', { nom: 'Martin', prenom: 'Zoé' });
    await setup.close();
  });
  afterAll(async () => {
    for (const t of terms) t.kill();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A terminal logged in as duo.e2e, on « Mes contacts ». */
  const open = async () => {
    const t = new TmuxTerminal();
    terms.push(t);
    t.start(`node ${bin} --host 127.0.0.1 --port ${server.port} --lang fr; sleep 600`);
    await t.waitFor('2. Se connecter');
    t.type('2');
    await t.waitFor("Nom d’utilisateur");
    t.type('duo.e2e');
    t.press('Tab');
    t.type('motdepasse-e2e');
    t.press('Enter');
    await t.waitFor('Menu principal');
    t.type('2');
    await t.waitFor('2 contact(s)');
    return t;
  };

  it('an edit and an add in one appear in the other, list and detail pane, with no key pressed there', async () => {
    const [a, b] = [await open(), await open()];
    // B stays on Dupré, the first row: its detail pane shows her.
    expect(b.screen()).toMatch(/❯ Dupré Hélène/);

    // A edits Dupré: a company.
    a.press('Enter');
    await a.waitFor('Modifier le contact');
    a.press('Tab', 'Tab', 'Tab', 'Tab');
    a.type('Annuaire SA');
    a.press('C-s');
    await a.waitFor('Contact enregistré.');
    const edited = await b.waitFor('Annuaire SA');
    expect(edited).toMatch(/❯ Dupré Hélène/);

    // A adds Abel, who sorts first: B's list shows him, B's selection stays on Dupré.
    a.press('C-n');
    await a.waitFor('Nouveau contact');
    a.type('Abel');
    a.press('Tab');
    a.type('Jean');
    a.press('C-s');
    await a.waitFor('Contact ajouté.');
    const added = await b.waitFor('3 contact(s)');
    expect(added).toContain('Abel Jean');
    expect(added).toMatch(/❯ Dupré Hélène/);
    expect(added).toContain('Annuaire SA');
    const mine = await a.waitFor('3 contact(s)');
    console.info(`terminal A:\n${mine}\nterminal B (no key pressed since « Mes contacts »):\n${added}`);
  }, 60_000);
});
