import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '@annuaire/server';
import { hasTmux, TmuxTerminal } from './tmux';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = path.join(root, 'packages/tui/dist/cli.js');
const tmux = hasTmux();

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}
const isStale = () =>
  !existsSync(bin) || ['packages/tui/src', 'packages/protocol/src', 'packages/server/src'].some((d) => newestMtime(path.join(root, d)) > statSync(bin).mtimeMs);
if (!tmux) console.warn('SKIPPED: the terminal end-to-end tests need tmux (apt-get install -y tmux).');

describe('the built bin', () => {
  it('puts React in production mode before React loads, unless NODE_ENV says otherwise', () => {
    if (isStale()) execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
    // The bin's first import, alone, then what NODE_ENV is once it has run.
    const first = readFileSync(bin, 'utf8').split('\n').find((l) => l.startsWith('import '));
    expect(first).toMatch(/^import 'data:/);
    const envAfter = (env: NodeJS.ProcessEnv) =>
      execFileSync(process.execPath, ['--input-type=module', '-e', `${first}\nconsole.log(process.env.NODE_ENV)`], { env, encoding: 'utf8' }).trim();
    const { NODE_ENV: _, ...rest } = process.env;
    expect(envAfter(rest)).toBe('production');
    expect(envAfter({ ...rest, NODE_ENV: 'development' })).toBe('development');
  });
});

describe.skipIf(!tmux)('annuaire in a real terminal (tmux)', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let dataDir: string;
  let term: TmuxTerminal | undefined;

  beforeAll(async () => {
    // The test drives the built bin, as a user runs it. `pnpm test` builds it first; build it
    // here only when it is missing or older than the sources (rebuilding under the feet of other
    // test files that run the built server would race with them).
    if (isStale()) execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
    expect(existsSync(bin)).toBe(true);
    dataDir = mkdtempSync(path.join(tmpdir(), 'annuaire-e2e-'));
    server = await startServer({ host: '127.0.0.1', port: 0, dataDir });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  afterEach(() => {
    term?.kill();
    term = undefined;
  });

  const launch = () => {
    term = new TmuxTerminal();
    term.start(`printf 'AVANT-ANNUAIRE\\n'; node ${bin} --host 127.0.0.1 --port ${server.port} --lang fr; echo "ANNUAIRE-EXIT=$?"; sleep 600`);
    return term;
  };

  it('creates an account, manages « Hélène Dupré » end to end, logs out, quits and restores the terminal', async () => {
    const t = launch();
    const start = await t.waitFor('1. Créer un compte');
    expect(start).toContain('2. Se connecter');
    expect(start).toContain('3. Quitter');
    expect(start).toContain(`Serveur 127.0.0.1:${server.port}`);
    expect(start).not.toContain('AVANT-ANNUAIRE');
    expect(t.alternateOn()).toBe(true);

    // Create an account.
    t.type('1');
    await t.waitFor("Nom d’utilisateur");
    t.type('helene.e2e');
    t.press('Tab');
    t.type('motdepasse-e2e');
    t.press('Tab');
    t.type('motdepasse-e2e');
    const masked = await t.waitFor('••••••••••••••');
    expect(masked).not.toContain('motdepasse-e2e');
    t.press('Enter');

    // Log in (the username is already there).
    await t.waitFor(/Se connecter[\s\S]*helene\.e2e/);
    t.type('motdepasse-e2e');
    t.press('Enter');
    await t.waitFor('Connexion réussie.');
    expect(t.screen()).toContain('Annuaire · helene.e2e');

    // Add Hélène Dupré with an email and a phone.
    t.type('3');
    await t.waitFor('Nouveau contact');
    t.type('Dupré');
    t.press('Tab');
    t.type('Hélène');
    t.press('Tab');
    t.type('helene.dupre@example.com');
    t.press('Tab');
    t.type('06 12 34 56 78');
    t.press('C-s');
    await t.waitFor('Contact ajouté.');

    // Export the annuaire as vCard to a file of our choosing, then back home.
    const vcf = path.join(dataDir, 'export.vcf');
    t.type('4');
    await t.waitFor('1. Importer un fichier');
    t.type('2');
    await t.waitFor('~/annuaire-helene.e2e.vcf');
    t.press('C-u');
    t.type(vcf);
    t.press('Enter');
    await t.waitFor('1 contact(s) exporté(s)');
    expect(readFileSync(vcf, 'utf8')).toMatch(/FN:Hélène Dupré/);
    t.press('Escape');
    await t.waitFor('Menu principal');

    // Find her by typing « helene » in my contacts.
    t.type('2');
    await t.waitFor('1 contact(s)');
    t.type('helene');
    const found = await t.waitFor('1 résultat(s) pour « helene »');
    expect(found).toContain('Dupré Hélène');
    expect(found).toContain('06 12 34 56 78');

    // Edit her: add a company.
    t.press('Enter');
    await t.waitFor('Modifier le contact');
    t.press('Tab', 'Tab', 'Tab', 'Tab');
    t.type('Annuaire SA');
    t.press('C-s');
    await t.waitFor('Contact enregistré.');
    await t.waitFor('Annuaire SA');

    // Delete her, after confirmation.
    t.press('C-d');
    await t.waitFor('Supprimer « Dupré Hélène » ?');
    t.type('o');
    await t.waitFor('Aucun contact ne correspond.');

    // Back home, log out, quit.
    t.press('Escape');
    await t.waitFor('0 contact(s)');
    t.press('Escape');
    await t.waitFor('Menu principal');
    t.type('6');
    await t.waitFor('1. Créer un compte');
    expect(t.screen()).toContain('non identifié');
    t.type('3');

    const after = await t.waitFor('ANNUAIRE-EXIT=0');
    expect(t.alternateOn()).toBe(false);
    expect(after).toContain('AVANT-ANNUAIRE'); // the screen from before is back
    expect(after).not.toContain('Menu principal');
  });

  it('starts its own embedded server on --data-dir, as `pnpm start` does, creates an account there and quits', async () => {
    // The bundled server inside the bin is the one code path no other test runs: a CommonJS
    // dependency of the server (iconv-lite) once made it fail with « Dynamic require of "buffer" ».
    const embeddedDir = mkdtempSync(path.join(tmpdir(), 'annuaire-e2e-embedded-'));
    try {
      term = new TmuxTerminal();
      term.start(`node ${bin} --data-dir ${embeddedDir} --lang fr; echo "ANNUAIRE-EXIT=$?"; sleep 600`);
      const t = term;
      await t.waitFor('1. Créer un compte');
      expect(t.screen()).toContain('Serveur intégré');
      expect(t.screen()).toContain(`données dans ${embeddedDir}`);
      t.press('1');
      await t.waitFor("Nom d’utilisateur");
      t.type('embarque');
      t.press('Tab');
      t.type('motdepasse-e2e');
      t.press('Tab');
      t.type('motdepasse-e2e');
      t.press('C-s');
      await t.waitFor(/Compte créé/);
      t.press('C-c');
      await t.waitFor(/ANNUAIRE-EXIT=\d+/);
      expect(existsSync(path.join(embeddedDir, 'annuaire.sqlite'))).toBe(true);
    } finally {
      term?.kill();
      term = undefined;
      rmSync(embeddedDir, { recursive: true, force: true });
    }
  });

  it('restores the terminal on SIGTERM', async () => {
    const t = launch();
    await t.waitFor('1. Créer un compte');
    expect(t.alternateOn()).toBe(true);
    const shell = t.panePid();
    const node = execFileSync('pgrep', ['-P', String(shell), '-f', 'cli.js'], { encoding: 'utf8' }).trim().split('\n')[0];
    process.kill(Number(node), 'SIGTERM');
    await t.waitFor(/ANNUAIRE-EXIT=\d+/);
    expect(t.alternateOn()).toBe(false);
    expect(t.screen()).toContain('AVANT-ANNUAIRE');
  });

  it('redraws on resize and stays usable at 80×24', async () => {
    const t = launch();
    await t.waitFor('1. Créer un compte');
    t.resize(80, 24);
    const small = await t.waitFor((s) => s.split('\n').some((l) => /^─{80}$/.test(l.trimEnd())) && s.includes('Annuaire · non identifié') && s.includes('3. Quitter'));
    // Exactly one status line and one menu: nothing left over from the wider frame.
    expect(small.match(/Annuaire · non identifié/g)).toHaveLength(1);
    expect(small.match(/1\. Créer un compte/g)).toHaveLength(1);
    expect(small.split('\n').every((l) => l.trimEnd().length <= 80)).toBe(true);
    t.type('2');
    await t.waitFor("Nom d’utilisateur");
    // A pasted line break is text, not Enter: nothing is submitted.
    t.paste('camille\nmartin');
    await t.waitFor('[camille martin');
    expect(t.screen()).not.toContain('Champ obligatoire');
    t.press('C-u');
    await t.waitFor((s) => !s.includes('camille'));
    t.press('C-c');
    await t.waitFor('ANNUAIRE-EXIT=0');
    expect(t.alternateOn()).toBe(false);
  });
});
