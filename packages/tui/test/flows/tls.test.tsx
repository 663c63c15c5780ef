import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '@annuaire/server';
import { renderApp } from '../helpers';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../../server/test/fixtures');
const cert = { cert: readFileSync(path.join(fixtures, 'test-cert.pem')), key: readFileSync(path.join(fixtures, 'test-key.pem')) };

let dir: string;
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'annuaire-tui-tls-'));
  server = await startServer({ host: '127.0.0.1', port: 0, dataDir: path.join(dir, 'data'), tls: cert });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

let app: Awaited<ReturnType<typeof renderApp>> | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('--tls', () => {
  it('pins the certificate on first use and says so; then refuses a changed one without retrying', async () => {
    const knownHostsFile = path.join(dir, 'known_hosts');
    app = await renderApp(server.port, 'fr', undefined, { host: 'localhost', knownHostsFile });
    const first = await app.waitFor((f) => f.includes('Certificat du serveur épinglé') && f.includes('TLS ● connecté'));
    expect(first).toMatch(/SHA-256\s+([0-9A-F]{2}:){31}[0-9A-F]{2}/); // whole, even if wrapped
    expect(first).toContain('1. Créer un compte');
    expect(readFileSync(knownHostsFile, 'utf8')).toContain(`localhost:${server.port} `);
    await app.close();

    // Someone else's certificate behind the same address.
    writeFileSync(knownHostsFile, readFileSync(knownHostsFile, 'utf8').replace(/ [0-9A-F:]{95}/, ` ${'AB:'.repeat(31)}AB`));
    app = await renderApp(server.port, 'fr', undefined, { host: 'localhost', knownHostsFile });
    const refused = await app.waitFor('a changé');
    expect(refused).toContain(`localhost:${server.port}`);
    expect(refused).toContain(knownHostsFile);
    expect(app.connection.state).toBe('unreachable');
  });
});

describe('--ca (a private certificate authority)', () => {
  it('verifies the server against that CA and pins nothing', async () => {
    const knownHostsFile = path.join(dir, 'known_hosts_ca');
    app = await renderApp(server.port, 'fr', undefined, { host: 'localhost', caFile: path.join(fixtures, 'test-cert.pem') });
    const frame = await app.waitFor('TLS ● connecté');
    expect(frame).toContain('1. Créer un compte');
    expect(frame).not.toContain('épinglé');
    expect(existsSync(knownHostsFile)).toBe(false);
  });

  it('refuses, naming the CA file and the reason, a server that CA did not sign; and does not retry on its own', async () => {
    const caFile = path.join(here, '../fixtures/other-ca.pem');
    app = await renderApp(server.port, 'fr', undefined, { host: 'localhost', caFile });
    const refused = await app.waitFor('connexion refusée');
    expect(refused).toContain(`localhost:${server.port}`);
    expect(refused.replace(/\s+/g, '')).toContain(caFile.replace(/\s+/g, ''));
    expect(refused).toMatch(/Raison : [A-Z_]+/);
    expect(app.connection.state).toBe('unreachable');
  });
});
