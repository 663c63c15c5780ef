/**
 * One annuaire, one hundred connections of its owner, all writing at once. Every
 * acknowledged operation is recorded; the final state must be exactly what they imply:
 * no lost update, every refusal a version_conflict (carrying the contact as it is) or,
 * after a delete, contact_not_found.
 */
import { connect, Contact, ProtocolError, type AnnuaireClient, listAllContacts } from '@annuaire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers';

const CLIENTS = 100;

let t: TestServer;
let clients: AnnuaireClient[];


/** The current contact a version_conflict carries, checked against the schema. */
function conflictCurrent(err: unknown): Contact {
  if (!(err instanceof ProtocolError) || err.code !== 'version_conflict') throw err;
  return Contact.parse(err.body.current);
}

beforeAll(async () => {
  t = await startTestServer();
  const { token } = await t.user('concurrence');
  clients = await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const c = await connect('127.0.0.1', t.port);
      await c.request('resume_session', { session_token: token });
      return c;
    }),
  );
}, 120_000);

afterAll(async () => {
  await Promise.all((clients ?? []).map((c) => c.close()));
  await t?.close();
});

describe('100 connections of one owner writing at once', () => {
  it('keeps every add, and each client’s edits of its own contacts, exactly', async () => {
    // Each client adds three contacts, then edits each twice, all clients at once.
    const expected = new Map<number, { nom: string; notes: string; version: number }>();
    await Promise.all(
      clients.map(async (c, i) => {
        const added = await Promise.all([0, 1, 2].map((k) => c.request('add_contact', { nom: `Propre${i}-${k}`, notes: 'v1' })));
        for (const { contact } of added) {
          let version = contact.version;
          for (const round of [2, 3]) {
            const { contact: updated } = await c.request('update_contact', { contact_id: contact.id, version, notes: `v${round}` });
            expect(updated.version).toBe(version + 1);
            version = updated.version;
          }
          expected.set(contact.id, { nom: contact.nom, notes: 'v3', version: 3 });
        }
      }),
    );
    expect(expected.size).toBe(CLIENTS * 3);
    const listed = (await listAllContacts(clients[0]!, 'created_at')).filter((c) => c.nom.startsWith('Propre'));
    expect(new Map(listed.map((c) => [c.id, { nom: c.nom, notes: c.notes, version: c.version }]))).toEqual(expected);
  });

  it('counts every acknowledged increment of shared counters: no lost update', async () => {
    // Five counters; every client increments them by read-modify-write with its version.
    const counters = await Promise.all([0, 1, 2, 3, 4].map((k) => clients[0]!.request('add_contact', { nom: `Compteur${k}`, notes: '0' })));
    const ids = counters.map((c) => c.contact.id);
    const acked = new Map(ids.map((id) => [id, 0]));
    let conflicts = 0;
    await Promise.all(
      clients.map(async (c, i) => {
        for (let round = 0; round < 4; round++) {
          const id = ids[(i + round) % ids.length]!;
          let current = (await c.request('get_contact', { contact_id: id })).contact;
          for (;;) {
            try {
              const { contact } = await c.request('update_contact', {
                contact_id: id,
                version: current.version,
                notes: String(Number(current.notes) + 1),
              });
              // The write that succeeds is based on exactly the version it read.
              expect(contact.version).toBe(current.version + 1);
              acked.set(id, acked.get(id)! + 1);
              break;
            } catch (err) {
              const now = conflictCurrent(err);
              expect(now.id).toBe(id);
              expect(now.version).toBeGreaterThan(current.version);
              conflicts++;
              current = now;
            }
          }
        }
      }),
    );
    expect([...acked.values()].reduce((a, b) => a + b, 0)).toBe(CLIENTS * 4);
    // Contention happened, and was reported as version_conflict (anything else threw above).
    expect(conflicts).toBeGreaterThan(0);
    for (const id of ids) {
      const { contact } = await clients[1]!.request('get_contact', { contact_id: id });
      expect({ id, notes: contact.notes, version: contact.version }).toEqual({ id, notes: String(acked.get(id)), version: 1 + acked.get(id)! });
    }
  });

  it('lets exactly one of 100 simultaneous updates of one version win; the others see the winner', async () => {
    const { contact } = await clients[0]!.request('add_contact', { nom: 'Disputé' });
    const results = await Promise.allSettled(
      clients.map((c, i) => c.request('update_contact', { contact_id: contact.id, version: 1, notes: `client${i}` })),
    );
    const winners = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.contact] : []));
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    for (const r of results) {
      if (r.status === 'rejected') expect(conflictCurrent(r.reason)).toEqual(winner);
    }
    expect((await clients[5]!.request('get_contact', { contact_id: contact.id })).contact).toEqual(winner);
  });

  it('lets exactly one of 100 simultaneous deletes succeed, and updates racing them find nothing after', async () => {
    const { contact } = await clients[0]!.request('add_contact', { nom: 'Éphémère' });
    const results = await Promise.allSettled(
      clients.map((c, i) =>
        i % 2 === 0
          ? c.request('delete_contact', { contact_id: contact.id }).then(() => 'deleted')
          : c.request('update_contact', { contact_id: contact.id, version: 1, notes: `x${i}` }).then(() => 'updated'),
      ),
    );
    const deletes = results.filter((r) => r.status === 'fulfilled' && r.value === 'deleted');
    expect(deletes).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') {
        expect(r.reason).toBeInstanceOf(ProtocolError);
        expect(['version_conflict', 'contact_not_found']).toContain((r.reason as ProtocolError).code);
      }
    }
    await expect(clients[3]!.request('get_contact', { contact_id: contact.id })).rejects.toMatchObject({ code: 'contact_not_found' });
    // The final state is the sum of all the above: nothing else appeared or vanished.
    const names = (await listAllContacts(clients[7]!, 'created_at')).map((c) => c.nom);
    expect(names.filter((n) => n.startsWith('Propre'))).toHaveLength(CLIENTS * 3);
    expect(names.filter((n) => !n.startsWith('Propre')).sort()).toEqual(['Compteur0', 'Compteur1', 'Compteur2', 'Compteur3', 'Compteur4', 'Disputé']);
  });
});
