import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { moveToPostgres } from '../src/move-to-postgres';
import { startTestServer } from './helpers';
import { createTestDatabase, postgresUnavailable, type TestDatabase } from './pg';

const unavailable = await postgresUnavailable();
const databases: TestDatabase[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const d of databases) await d.drop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A data directory that outlives its server (the copy reads it after). */
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'annuaire-move-'));
  dirs.push(dir);
  return dir;
}

describe.skipIf(unavailable !== undefined)(`annuaire-server migrate: SQLite into PostgreSQL${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('copies accounts, contacts, journal and sessions, checks them, and copies only what is new when run again', async () => {
    // An embedded annuaire with a bit of everything: two accounts, contacts, a deletion, an imported card.
    const embedded = await startTestServer({ dataDir: tempDir() });
    const rim = await embedded.user('rim');
    const other = await embedded.user('zoé');
    for (let i = 0; i < 30; i++) await rim.client.request('add_contact', { nom: `Lefèvre${i}`, prenom: 'Hélène', telephone: `06 12 34 56 ${String(i).padStart(2, '0')}` });
    const doomed = await rim.client.request('add_contact', { nom: 'Supprimé', prenom: '' });
    await rim.client.request('delete_contact', { contact_id: doomed.contact.id });
    const card = 'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Zola;Émile;;;\r\nFN:Émile Zola\r\nX-CUSTOM:gardé\r\nEND:VCARD\r\n';
    await rim.client.request('import_contacts', { format: 'vcard', data: card });
    await other.client.request('add_contact', { nom: 'Martin', prenom: 'Luc' });
    const before = await rim.client.request('list_contacts', { limit: 500 });
    const exportBefore = await rim.client.request('export_contacts', { format: 'vcard' });
    const dataDir = embedded.dataDir;
    await embedded.close();

    const target = await createTestDatabase();
    databases.push(target);
    const first = await moveToPostgres(dataDir, target.url);
    expect(first.missing).toEqual({ users: 0, contacts: 0, sessions: 0 });
    expect(first.copied.contacts).toBe(32);
    expect(first.target).toEqual(first.source);
    // Again: nothing new to copy, the same check.
    const second = await moveToPostgres(dataDir, target.url);
    expect(second.copied).toEqual({ users: 0, annuaires: 0, contacts: 0, sources: 0, sessions: 0, changes: 0 });
    expect(second.target).toEqual(first.target);

    // A node on PostgreSQL serves the same people: same password, same session token, same contacts.
    const node = await startTestServer({ databaseUrl: target.url });
    try {
      const resumed = await node.client();
      await resumed.request('resume_session', { session_token: rim.token });
      const after = await resumed.request('list_contacts', { limit: 500 });
      expect(after.contacts).toEqual(before.contacts);
      expect(after.seq).toBe(before.seq);
      // The journal goes on from where it was: a terminal that saw `before.seq` misses nothing.
      await resumed.request('add_contact', { nom: 'Après', prenom: 'la migration' });
      const since = await resumed.request('changes_since', { seq: before.seq! });
      expect(since.changes.map((c) => (c.kind === 'changed' ? c.contact.nom : 'deleted'))).toEqual(['Après']);
      // The card's own text came along: the export gives back what no field of ours holds.
      const exported = await resumed.request('export_contacts', { format: 'vcard' });
      expect(exported.data).toContain('X-CUSTOM:gardé');
      expect(exported.count).toBe(exportBefore.count + 1);
      const login = await node.client();
      await login.request('login', { username: 'zoé', password: other.password });
      expect((await login.request('list_contacts', {})).contacts.map((c) => c.nom)).toEqual(['Martin']);
      // Usage counters (quotas) recomputed by the target's triggers.
      const db = new pg.Client({ connectionString: target.url });
      await db.connect();
      const { rows } = await db.query<{ contact_count: string }>('SELECT contact_count FROM annuaires ORDER BY id');
      await db.end();
      expect(rows.map((r) => Number(r.contact_count))).toEqual([32, 1]);
    } finally {
      await node.close();
    }
  });

  it('refuses a target that holds other accounts, and writes nothing there', async () => {
    const embedded = await startTestServer({ dataDir: tempDir() });
    await embedded.user('seule');
    const dataDir = embedded.dataDir;
    await embedded.close();
    const target = await createTestDatabase();
    databases.push(target);
    const elsewhere = await startTestServer({ databaseUrl: target.url });
    await elsewhere.user('quelquun-dautre');
    await elsewhere.close();
    await expect(moveToPostgres(dataDir, target.url)).rejects.toThrow(/already holds accounts/);
    const db = new pg.Client({ connectionString: target.url });
    await db.connect();
    const { rows } = await db.query<{ username: string }>('SELECT username FROM users');
    await db.end();
    expect(rows.map((r) => r.username)).toEqual(['quelquun-dautre']);
  });
});
