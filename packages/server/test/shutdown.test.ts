/**
 * Graceful shutdown under load: SIGTERM reaches the built server while clients pipeline
 * writes. It must exit cleanly, say goodbye, and every write it acknowledged must be there
 * after a restart on the same data directory. Three rounds, the load growing each time.
 */
import { connect, type Contact, type ServerEvent, listAllContacts } from '@annuaire/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startTestServer } from './helpers';
import { spawnServer } from './spawn';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'annuaire-shutdown-'));
const dataDir = path.join(tmp, 'data');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const USER = { username: 'arret', password: 'motdepasse-arret' };


async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

it('loses no acknowledged write when SIGTERM arrives under load', async () => {
  /** Every acknowledged write: contact id → { nom, version, notes } as last acknowledged. */
  const acked = new Map<number, { nom: string; version: number; notes: string | null }>();
  /** Updates sent whose reply never came: after the restart, either state is right. */
  const inDoubt = new Map<number, { nom: string; version: number; notes: string }>();
  let token: string | undefined;
  let seq = 0;

  /** Every acknowledged write is there as acknowledged (or as the in-doubt update after it). */
  const checkAll = (now: Map<number, Contact>) => {
    for (const [id, want] of acked) {
      const got = { id, ...pick(now.get(id)) };
      const doubt = inDoubt.get(id);
      if (doubt && got.version === doubt.version) {
        expect(got).toEqual({ id, ...doubt });
        acked.set(id, doubt);
      } else expect(got).toEqual({ id, ...want });
    }
    inDoubt.clear();
  };

  for (let round = 1; round <= 3; round++) {
    const srv = await spawnServer(dataDir, ['--quiet']);
    const setup = await connect('127.0.0.1', srv.port);
    if (!token) {
      await setup.request('create_account', USER);
      token = (await setup.request('login', USER)).session_token;
    } else {
      await setup.request('resume_session', { session_token: token });
      // Everything acknowledged before the last SIGTERM is here, as acknowledged.
      const now = new Map((await listAllContacts(setup, 'created_at')).map((c) => [c.id, c]));
      checkAll(now);
    }
    await setup.close();

    const goodbyes: string[] = [];
    const clients = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const c = await connect('127.0.0.1', srv.port);
        c.on('event', (e: ServerEvent) => {
          if (e.event === 'goodbye') goodbyes.push(e.reason);
        });
        await c.request('resume_session', { session_token: token! });
        return c;
      }),
    );
    // Each client keeps eight writes in flight (adds, and updates of what it added) until closed.
    const ackedThisRound = { n: 0 };
    const workers = clients.map(async (c, i) => {
      const mine: number[] = [];
      const busy = new Set<number>();
      const inFlight = new Set<Promise<unknown>>();
      while (!c.isClosed) {
        while (inFlight.size < 8 && !c.isClosed) {
          const free = mine.filter((id) => !busy.has(id));
          let p: Promise<unknown>;
          if (free.length > 0 && seq % 3 === 0) {
            const id = free[seq % free.length]!;
            const base = acked.get(id)!;
            const notes = `r${round}c${i}s${++seq}`;
            busy.add(id);
            // Until its reply comes, the update may or may not be committed.
            inDoubt.set(id, { nom: base.nom, version: base.version + 1, notes });
            p = c.request('update_contact', { contact_id: id, version: base.version, notes }).then(({ contact }) => {
              acked.set(id, { nom: contact.nom, version: contact.version, notes });
              inDoubt.delete(id);
              ackedThisRound.n++;
            });
            p = p.finally(() => busy.delete(id));
          } else {
            const nom = `Arret${++seq}`;
            p = c.request('add_contact', { nom, notes: null }).then(({ contact }) => {
              acked.set(contact.id, { nom, version: 1, notes: null });
              mine.push(contact.id);
              ackedThisRound.n++;
            });
          }
          const tracked = p.catch(() => {}).finally(() => inFlight.delete(tracked));
          inFlight.add(tracked);
        }
        await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
    });
    // Signal once the load is well under way (polling, no fixed delay).
    await until(() => ackedThisRound.n >= 50 * round, 'the load to start');
    const code = await srv.kill('SIGTERM');
    await Promise.all(workers);
    expect(code).toBe(0);
    expect(srv.logs.some((l) => l.msg === 'stopped')).toBe(true);
    // Each client was told why, unless its socket died first (it should not).
    expect(goodbyes.length).toBe(clients.length);
    expect(new Set(goodbyes)).toEqual(new Set(['shutdown']));
  }

  const srv = await spawnServer(dataDir, ['--quiet']);
  try {
    const c = await connect('127.0.0.1', srv.port);
    await c.request('resume_session', { session_token: token! });
    const now = new Map((await listAllContacts(c, 'created_at')).map((x) => [x.id, x]));
    expect(acked.size).toBeGreaterThan(100);
    checkAll(now);
    await c.close();
  } finally {
    await srv.kill('SIGTERM');
  }
}, 120_000);

function pick(c: Contact | undefined) {
  return c ? { nom: c.nom, version: c.version, notes: c.notes } : { missing: true };
}

it('answers a request sent just as the shutdown begins, however long the connection was quiet', async () => {
  const t = await startTestServer();
  try {
    const client = await t.client();
    // Quiet for longer than the shutdown's quiet spell (100 ms): only the request below is in flight.
    await new Promise((r) => setTimeout(r, 300));
    const pending = client.request('ping');
    const stopping = t.server.close();
    await expect(pending).resolves.toMatchObject({ pong: true });
    await stopping;
  } finally {
    await t.close();
  }
});
