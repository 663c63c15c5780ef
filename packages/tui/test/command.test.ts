import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sideClient, startTestServer, uniqueUser } from './helpers';

/** The `annuaire` bin driven as a script or a mail client would: a real process, real pipes. */
const BIN = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

let server: Awaited<ReturnType<typeof startTestServer>>;
let home: string;
beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`node scripts/build.mjs\` first`);
  server = await startTestServer();
  home = mkdtempSync(path.join(tmpdir(), 'annuaire-cli-'));
});
afterAll(async () => {
  await server.stop();
  rmSync(home, { recursive: true, force: true });
});

function run(args: string[], input = '', env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), LANG: 'fr_FR.UTF-8', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('annuaire command line', () => {
  it('logs in from a pipe, keeps the token 0600, imports, exports, searches for mutt, logs out', async () => {
    const user = uniqueUser('cli');
    const side = await sideClient(server.port, user);
    const port = String(server.port);

    expect((await run(['search', 'x'])).code).toBe(3); // no session yet
    const bad = await run(['login', '--user', user, '--port', port], 'mauvais\n');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/incorrect/);
    const login = await run(['login', '--user', user, '--port', port], 'motdepasse1\n');
    expect(login).toMatchObject({ code: 0 });
    const file = path.join(home, 'config', 'annuaire', 'session.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).not.toContain('motdepasse1');

    const vcf = path.join(home, 'carnet.vcf');
    writeFileSync(vcf, Buffer.from('BEGIN:VCARD\r\nVERSION:2.1\r\nN:Dupré;Hélène\r\nEMAIL;INTERNET:helene@example.fr\r\nEMAIL:helene@autre.fr\r\nTEL;CELL:06 12 34 56 78\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nNOTE:personne\r\nEND:VCARD\r\n', 'latin1')); // Windows-1252 for these letters
    const imported = await run(['import', vcf]);
    expect(imported).toMatchObject({ code: 0, stdout: '1 contact(s) importé(s), 1 rejeté(s), 0 valeur(s) laissée(s) de côté.\n' });
    expect(imported.stderr).toMatch(/rejeté n° 2/);
    expect((await side.request('list_contacts')).contacts[0]).toMatchObject({ nom: 'Dupré', prenom: 'Hélène' });

    const mutt = await run(['search', 'dupre', '--format', 'mutt']);
    expect(mutt).toMatchObject({ code: 0, stdout: '2 contact(s) pour « dupre ».\nhelene@example.fr\tHélène Dupré\t\nhelene@autre.fr\tHélène Dupré\t\n' });
    expect((await run(['search', 'dupre', '--format', 'mutt', '--no-header'])).stdout).toBe('helene@example.fr\tHélène Dupré\t\nhelene@autre.fr\tHélène Dupré\t\n');
    const none = await run(['search', 'personne-ici', '--format', 'mutt']);
    expect(none).toMatchObject({ code: 1, stdout: 'Aucun contact pour « personne-ici ».\n' });
    expect(JSON.parse((await run(['search', 'helene', '--format', 'json'])).stdout)).toMatchObject([{ nom: 'Dupré', telephone: '06 12 34 56 78' }]);
    expect((await run(['search', 'helene', '--format', 'vcf'])).stdout).toMatch(/^BEGIN:VCARD\r\nVERSION:3\.0\r\n[\s\S]*N:Dupré;Hélène\r\n[\s\S]*END:VCARD\r\n$/);

    const out = path.join(home, 'export.csv');
    const exported = await run(['export', '--format', 'csv', '-o', out]);
    expect(exported).toMatchObject({ code: 0, stderr: `1 contact(s) exporté(s) dans ${out}.\n` });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toMatch(/^First Name,Last Name,/);
    expect((await run(['export', '--format', 'vcf', '--vcard-version', '4.0'])).stdout).toMatch(/^BEGIN:VCARD\r\nVERSION:4\.0\r\n/);

    expect((await run(['export', '--format', 'xls'])).code).toBe(2);
    expect((await run(['import'])).code).toBe(2);
    expect((await run(['logout'])).code).toBe(0);
    expect(existsSync(file)).toBe(false);
    expect((await run(['export', '--format', 'csv'])).code).toBe(3);
    await side.close();
  }, 60_000);
});
