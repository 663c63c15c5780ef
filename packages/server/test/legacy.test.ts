import { connect } from '@annuaire/protocol';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src';

/** The seed's own files migrated by the real bin (annuaire-server import-legacy), then used over TCP. */
const BIN = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
let root: string;
beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`node scripts/build.mjs\` first`);
  root = mkdtempSync(path.join(os.tmpdir(), 'annuaire-legacy-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('annuaire-server import-legacy', () => {
  it('migrates accounts (passwords hashed, then gone from the file) and their annuaires, and reports what it skipped', async () => {
    const seed = path.join(root, 'seed');
    const dataDir = path.join(root, 'data');
    rmSync(seed, { recursive: true, force: true });
    mkdirSync(seed, { recursive: true });
    writeFileSync(
      path.join(seed, 'utilisateurs.json'),
      JSON.stringify({
        rim: { password: '123', annuaire: 'rim_annuaire.txt' },
        miniar: { password: 'un-long-mot-de-passe', annuaire: 'miniar_annuaire.txt' },
        'bad name!': { password: 'x', annuaire: 'x.txt' },
      }),
    );
    writeFileSync(path.join(seed, 'rim_annuaire.txt'), 'Dupont, Jean, jean@dupont.fr, 0612345678\nMartin;Paul;paul@martin.fr;+33 6 11 22 33 44\nDurand\tZoé\tpas-un-email\t0700000000\n\n,,,\n');
    writeFileSync(path.join(seed, 'miniar_annuaire.txt'), 'Jabri, Miniar, miniar@example.tn, 21612345678\n');

    const run = spawnSync(process.execPath, [BIN, 'import-legacy', seed, '--data-dir', dataDir], { encoding: 'utf8' });
    expect(run.status).toBe(1); // one account skipped
    expect(run.stdout).toContain('rim: migrated, 3 contact(s) imported; password under 8 characters: change it');
    expect(run.stdout).toContain('line 3: emails.0 left out (email_invalid)');
    expect(run.stdout).toContain('miniar: migrated, 1 contact(s) imported');
    expect(run.stdout).toContain('bad name!: skipped (invalid_username)');

    // No clear password left: not in the seed's file, not in the data directory.
    const users = JSON.parse(readFileSync(path.join(seed, 'utilisateurs.json'), 'utf8')) as Record<string, { password: unknown }>;
    expect(users.rim!.password).toBeNull();
    expect(users.miniar!.password).toBeNull();
    for (const f of readdirSync(dataDir)) expect(readFileSync(path.join(dataDir, f)).includes('un-long-mot-de-passe')).toBe(false);

    const server = await startServer({ port: 0, dataDir });
    try {
      const client = await connect('127.0.0.1', server.port);
      await client.request('login', { username: 'rim', password: '123' });
      const { contacts } = await client.request('list_contacts');
      expect(contacts.map((c) => [c.nom, c.prenom, c.email, c.telephone])).toEqual([
        ['Dupont', 'Jean', 'jean@dupont.fr', '0612345678'],
        ['Durand', 'Zoé', null, '0700000000'],
        ['Martin', 'Paul', 'paul@martin.fr', '+33 6 11 22 33 44'],
      ]);
      await client.close();
    } finally {
      await server.close();
    }

    // Run again: nothing is doubled, the migrated accounts are said to be so.
    const again = spawnSync(process.execPath, [BIN, 'import-legacy', seed, '--data-dir', dataDir, '--json'], { encoding: 'utf8' });
    expect(JSON.parse(again.stdout)).toMatchObject([
      { username: 'rim', status: 'skipped', reason: 'already_migrated' },
      { username: 'miniar', status: 'skipped', reason: 'already_migrated' },
      { username: 'bad name!', status: 'skipped', reason: 'invalid_username' },
    ]);
  }, 60_000);
});

