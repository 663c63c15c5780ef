import { connect, ConnectionError } from '@annuaire/protocol';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const cert = readFileSync(path.join(fixtures, 'test-cert.pem'));
const key = readFileSync(path.join(fixtures, 'test-key.pem'));

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ tls: { cert, key } });
});
afterAll(() => t.close());

describe('TLS', () => {
  it('serves the whole protocol over TLS to a client that trusts the certificate', async () => {
    const c = await connect('localhost', t.port, { tls: { ca: cert } });
    await c.request('create_account', { username: 'chiffre', password: 'motdepasse1' });
    const login = await c.request('login', { username: 'chiffre', password: 'motdepasse1' });
    expect(login.message).toBe('Connexion réussie.');
    await c.close();
  });

  it('is refused by a client that does not trust the certificate', async () => {
    await expect(connect('localhost', t.port, { tls: true })).rejects.toBeInstanceOf(ConnectionError);
  });

  it('sends nothing readable to a plain-TCP client', async () => {
    const received = await new Promise<string>((resolve) => {
      const s = net.connect(t.port, '127.0.0.1', () => s.write('{"id":1,"action":"ping"}\n'));
      let data = '';
      s.setEncoding('latin1');
      s.on('data', (d) => (data += d));
      s.on('close', () => resolve(data));
      s.on('error', () => resolve(data));
      setTimeout(() => s.destroy(), 2000);
    });
    expect(received).not.toContain('"hello"');
    expect(received).not.toContain('pong');
  });
});
