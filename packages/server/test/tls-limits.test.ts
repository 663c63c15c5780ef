/**
 * TLS before the handshake: raw connections count against the connection limits from
 * their first byte, a handshake that does not finish in time is closed, and TLS 1.2
 * offers only ECDHE AEAD suites.
 */
import { connect } from '@annuaire/protocol';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const read = (f: string) => readFileSync(path.join(fixtures, f));
const ec = { cert: read('test-cert.pem'), key: read('test-key.pem') };
const rsa = { cert: read('test-rsa-cert.pem'), key: read('test-rsa-key.pem') };

/** Silent TCP connections (no ClientHello) from 127.0.0.2, and how many the server has closed. */
async function silentConnections(port: number, count: number) {
  const sockets: net.Socket[] = [];
  let closed = 0;
  await Promise.all(
    Array.from({ length: count }, () => new Promise<void>((resolve) => {
      const s = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.2' }, () => resolve());
      s.on('error', () => resolve());
      s.on('close', () => closed++);
      // Read, or a close after bytes (a TLS alert) is never seen.
      s.resume();
      sockets.push(s);
    })),
  );
  return {
    get closed() {
      return closed;
    },
    get open() {
      return count - closed;
    },
    destroy: () => sockets.forEach((s) => s.destroy()),
  };
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition(); ) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A logged-in round trip over TLS from 127.0.0.1. */
async function realClientWorks(t: TestServer): Promise<void> {
  const c = await connect('localhost', t.port, { tls: { ca: ec.cert } });
  try {
    expect(await c.request('ping')).toBeDefined();
  } finally {
    await c.close();
  }
}

async function withServer(options: Parameters<typeof startTestServer>[0], fn: (t: TestServer) => Promise<void>) {
  const t = await startTestServer(options);
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

describe('TLS connections before the handshake', () => {
  it('holds silent connections from one address to the per-address cap; others still connect', async () => {
    await withServer({ tls: ec, maxConnectionsPerAddress: 20, maxConnections: 1000, tlsHandshakeTimeoutMs: 60_000 }, async (t) => {
      const silent = await silentConnections(t.port, 100);
      try {
        await until(() => silent.closed >= 80);
        await new Promise((r) => setTimeout(r, 200));
        expect(silent.open).toBe(20);
        await realClientWorks(t);
      } finally {
        silent.destroy();
      }
    });
  });

  it('counts them against the total limit, and frees their places when they close', async () => {
    await withServer({ tls: ec, maxConnectionsPerAddress: 1000, maxConnections: 30, tlsHandshakeTimeoutMs: 60_000 }, async (t) => {
      const silent = await silentConnections(t.port, 100);
      await until(() => silent.closed >= 70);
      await new Promise((r) => setTimeout(r, 200));
      expect(silent.open).toBe(30);
      silent.destroy();
      await until(() => silent.closed === 100);
      // Places are given back: 30 real clients fit again.
      const clients = await Promise.all(Array.from({ length: 30 }, () => connect('localhost', t.port, { tls: { ca: ec.cert } })));
      await Promise.all(clients.map((c) => c.request('ping')));
      await Promise.all(clients.map((c) => c.close()));
    });
  });

  it('closes a connection whose handshake does not finish in time, silent or half-sent', async () => {
    await withServer({ tls: ec, tlsHandshakeTimeoutMs: 300 }, async (t) => {
      const silent = await silentConnections(t.port, 3);
      const half = net.connect(t.port, '127.0.0.1', () => half.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])));
      let halfClosed = false;
      half.resume();
      half.on('close', () => (halfClosed = true));
      half.on('error', () => {});
      await until(() => silent.closed === 3 && halfClosed);
      await realClientWorks(t);
    });
  });

  it('closes at once a connection whose handshake fails, whatever the failure', async () => {
    await withServer({ tls: ec, tlsHandshakeTimeoutMs: 60_000 }, async (t) => {
      // A record too long, another announced too long, and HTTP.
      for (const hex of ['3a03fdd50307', '160301ffff00', '474554202f20485454502f312e310d0a0d0a']) {
        const s = net.connect(t.port, '127.0.0.1', () => s.write(Buffer.from(hex, 'hex')));
        let closed = false;
        s.resume();
        s.on('close', () => (closed = true));
        s.on('error', () => {});
        await until(() => closed, 5000);
      }
    });
  });
});

describe('TLS 1.2 cipher suites (RSA certificate)', () => {
  /** The suite a TLS 1.2 client restricted to `ciphers` gets, or the handshake's error code. */
  function negotiate(port: number, ciphers: string): Promise<string> {
    return new Promise((resolve) => {
      const s = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: rsa.cert, maxVersion: 'TLSv1.2', ciphers }, () => {
        resolve(s.getCipher().name);
        s.destroy();
      });
      s.on('error', (err: NodeJS.ErrnoException) => resolve(`refused: ${err.code ?? err.message}`));
    });
  }

  it('refuses suites without forward secrecy, CBC and SHA-1, and serves ECDHE with GCM', async () => {
    await withServer({ tls: rsa }, async (t) => {
      for (const refused of ['AES128-SHA', 'AES256-SHA256', 'AES128-GCM-SHA256', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA384']) {
        expect({ refused, got: await negotiate(t.port, refused) }).toMatchObject({ refused, got: expect.stringMatching(/^refused/) });
      }
      expect(await negotiate(t.port, 'ECDHE-RSA-AES128-GCM-SHA256')).toBe('ECDHE-RSA-AES128-GCM-SHA256');
      expect(await negotiate(t.port, 'ECDHE-RSA-AES256-GCM-SHA384')).toBe('ECDHE-RSA-AES256-GCM-SHA384');
    });
  });
});
